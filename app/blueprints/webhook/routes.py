import hmac

from flask import current_app, jsonify, request

from ...extensions import csrf
from ...reporting import inbound
from . import bp, fonnte


def _refusal():
    """401/403 when WEBHOOK_TOKEN is set and the call does not carry it; else None."""
    expected = current_app.config.get("WEBHOOK_TOKEN")
    if not expected:
        return None
    given = request.args.get("token", "")
    if not given:
        return jsonify(status=False, reason="token wajib disertakan"), 401
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return jsonify(status=False, reason="token salah"), 403
    return None


def _payload():
    if request.is_json:
        return request.get_json(silent=True)
    if request.form:
        return request.form.to_dict()
    # Some senders post JSON without the header.
    return request.get_json(force=True, silent=True)


@bp.get("/fonnte")
def fonnte_info():
    refusal = _refusal()
    if refusal:
        return refusal
    return jsonify(status=True, detail="Webhook Fonnte aktif. Kirim pesan dengan POST.")


@bp.post("/fonnte")
@csrf.exempt
def fonnte_message():
    refusal = _refusal()
    if refusal:
        return refusal
    try:
        message = fonnte.parse(_payload())
    except fonnte.NotAMessage as error:
        return jsonify(status=False, reason=str(error)), 400
    outcome = inbound.handle(message)
    return jsonify(status=True, detail=outcome.status, id_track=outcome.id_track)
