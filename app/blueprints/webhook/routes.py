import hmac

from flask import current_app, jsonify, request

from ... import device_health
from ...extensions import csrf
from ...messaging import delivery
from ...reporting import inbound
from . import body, bp, cloud, fonnte

INBOUND_PROVIDERS = ("fonnte", "cloud")


def _not_in_use(provider):
    """403 when another provider sends our WhatsApp: its webhook would be a door that
    skips the active provider's own check (Meta's signature). The development provider
    `log` takes both, so either can be tried with curl."""
    active = current_app.config.get("WA_PROVIDER", "log")
    if active == provider or active not in INBOUND_PROVIDERS:
        return None
    return jsonify(status=False, reason=f"Webhook {provider} tidak dipakai: WA_PROVIDER={active}"), 403


def _refusal():
    """403 for another provider's webhook; 401/403 when WEBHOOK_TOKEN is set and the call
    does not carry it; else None."""
    refusal = _not_in_use("fonnte")
    if refusal:
        return refusal
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
    """The Fonnte body as a dict (JSON or form); BadBody when it cannot be read."""
    if request.is_json:
        return body.load_json(request.get_data(cache=True))
    if request.form:
        form = request.form.to_dict()
        (key, value), *others = form.items()
        if not others and not value and key.lstrip().startswith("{"):
            # JSON posted as a form (curl -d without a Content-Type): the whole body is
            # the one key, with no value.
            return body.load_json(key)
        return form
    # Some senders post JSON without the header.
    return body.load_json(request.get_data(cache=True))


@bp.errorhandler(body.BadBody)
def _bad_body(error):
    return jsonify(status=False, reason=str(error)), 400


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
    payload = _payload()
    kind = fonnte.kind_of(payload)
    if kind == "status":
        return _fonnte_status(payload)
    if kind == "device":
        return _fonnte_device(payload)
    try:
        message = fonnte.parse(payload)
    except fonnte.NotAMessage as error:
        return jsonify(status=False, reason=str(error)), 400
    outcome = inbound.handle(message)
    return jsonify(status=True, detail=outcome.status, id_track=outcome.id_track)


@bp.post("/fonnte/status")
@csrf.exempt
def fonnte_status():
    return _fonnte_event("status", _fonnte_status, "bukan status pesan: kolom 'id' dan 'state' wajib ada")


@bp.post("/fonnte/device")
@csrf.exempt
def fonnte_device():
    return _fonnte_event(
        "device", _fonnte_device, "bukan status perangkat: 'status' harus connect/disconnect"
    )


def _fonnte_event(kind, handle, reason):
    """Fonnte's separate status and device webhook URLs: only their own kind of body."""
    refusal = _refusal()
    if refusal:
        return refusal
    payload = _payload()
    if fonnte.kind_of(payload) != kind:
        return jsonify(status=False, reason=reason), 400
    return handle(payload)


def _fonnte_status(payload):
    try:
        report = fonnte.status_report(payload)
    except fonnte.NotAMessage as error:
        return jsonify(status=False, reason=str(error)), 400
    if report is None:
        return jsonify(status=True, detail="status tanpa perubahan")
    applied = delivery.apply([report])
    return jsonify(
        status=True, detail="status dicatat", diperbarui=applied.updated, tidak_dikenal=applied.unknown
    )


def _fonnte_device(payload):
    try:
        device, connected, reason = fonnte.device_event(payload)
    except fonnte.NotAMessage as error:
        return jsonify(status=False, reason=str(error)), 400
    changed = device_health.device_reported("fonnte", device, connected, reason)
    return jsonify(status=True, detail="status perangkat dicatat", berubah=changed)


@bp.get("/whatsapp")
def whatsapp_verify():
    """Meta's handshake when the webhook URL is saved in the app dashboard."""
    refusal = _not_in_use("cloud")
    if refusal:
        return refusal
    expected = current_app.config.get("WHATSAPP_VERIFY_TOKEN") or ""
    given = request.args.get("hub.verify_token", "")
    if request.args.get("hub.mode") != "subscribe":
        reason = "verifikasi ditolak: hub.mode harus subscribe"
    elif not expected:
        reason = "verifikasi ditolak: WHATSAPP_VERIFY_TOKEN belum diatur"
    elif not hmac.compare_digest(given.encode(), expected.encode()):
        reason = "verifikasi ditolak: hub.verify_token tidak cocok"
    else:
        return request.args.get("hub.challenge", ""), 200, {"Content-Type": "text/plain"}
    return jsonify(status=False, reason=reason), 403


@bp.post("/whatsapp")
@csrf.exempt
def whatsapp_notification():
    refusal = _not_in_use("cloud")
    if refusal:
        return refusal
    secret = current_app.config.get("WHATSAPP_APP_SECRET")
    if not secret:
        return jsonify(
            status=False, reason="WHATSAPP_APP_SECRET belum diatur: tanda tangan tidak dapat diperiksa"
        ), 403
    signature = request.headers.get("X-Hub-Signature-256", "")
    if not signature:
        return jsonify(status=False, reason="X-Hub-Signature-256 wajib ada"), 401
    raw = request.get_data(cache=True)
    if not cloud.signature_ok(secret, raw, signature):
        return jsonify(status=False, reason="tanda tangan X-Hub-Signature-256 salah"), 403
    try:
        parsed = cloud.parse(body.load_json(raw), current_app.config.get("WHATSAPP_PHONE_NUMBER_ID"))
    except cloud.NotAWebhook as error:
        return jsonify(status=False, reason=str(error)), 400
    outcomes = [inbound.handle(message) for message in parsed.messages]
    applied = delivery.apply(cloud.delivery_reports(parsed.statuses)) if parsed.statuses else None
    return jsonify(
        status=True,
        pesan=[o.status for o in outcomes],
        status_diperbarui=applied.updated if applied else 0,
    )
