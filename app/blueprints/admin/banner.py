"""The banner on every panel page when WhatsApp is not working (device health)."""

from flask_login import current_user

from ... import device_health
from ...accounts import PANEL_LEVELS
from . import bp


@bp.app_context_processor
def whatsapp_problems():
    # Only people who can act on it see it, and only they pay for the (tiny) query.
    if not getattr(current_user, "is_authenticated", False) or current_user.level not in PANEL_LEVELS:
        return {}
    return {"whatsapp_problems": [device_health.describe(row) for row in device_health.problems()]}
