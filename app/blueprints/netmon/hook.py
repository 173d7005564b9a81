"""/netmon/hook: the call Netwatch's up/down scripts make with /tool fetch."""

import hmac

from flask import current_app, jsonify, request

from ...extensions import csrf
from ...netmon import service
from . import bp

STATES = {"up": "up", "down": "down", "on": "up", "off": "down", "1": "up", "0": "down"}


@bp.route("/hook", methods=["GET", "POST"])
@csrf.exempt
def hook():
    expected = current_app.config.get("NETMON_HOOK_TOKEN")
    if not expected:
        return jsonify(status=False, reason="hook nonaktif: NETMON_HOOK_TOKEN belum diisi"), 404
    values = request.values
    given = values.get("token", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return jsonify(status=False, reason="token salah"), 403
    host = values.get("host", "").strip()
    state = STATES.get(values.get("state", values.get("status", "")).strip().lower())
    if not host or state is None:
        return jsonify(status=False, reason="host dan state (up/down) wajib diisi"), 400
    matched = service.apply_push(host, state, values.get("router", "").strip())
    if not matched:
        return jsonify(status=False, reason=f"host {host} belum dikenal; tunggu poll pertama router"), 404
    return jsonify(status=True, host=host, state=state, matched=matched)
