"""The Telegram long poll: getUpdates with pyTelegramBotAPI, in the worker.

Telegram allows one getUpdates poller per bot (a second gets 409 Conflict), so the loop
polls only while this worker holds the lease. Each update is handled on a small pool of
threads, so a slow /ping to a far router does not hold up the next command. Answers go
through the outgoing queue like every other message; only the callback acknowledgement
(which must come within seconds and is not a message) is sent directly.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

import requests
import telebot
from telebot import apihelper

from ..database import run_in_transaction
from ..messaging import outbox
from ..redaction import redact
from . import alerts, bot, chats, texts

log = logging.getLogger("sarpras.telegram")

COMMAND_THREADS = 4
CONFLICT_PAUSE = 5
ERROR_PAUSE = 3
UNAUTHORIZED_PAUSE = 60


def enabled(config):
    return bool(config.get("TELEGRAM_BOT_TOKEN"))


def configure(config):
    # pyTelegramBotAPI keeps its base URL module-wide; one bot per process uses it.
    apihelper.API_URL = config["TELEGRAM_API_URL"].rstrip("/") + "/bot{0}/{1}"


class TelegramPoller:
    def __init__(self, app, active, stopping):
        self.app = app
        self.active = active
        self.stopping = stopping
        self.offset = None
        self.pool = ThreadPoolExecutor(COMMAND_THREADS, thread_name_prefix="telegram-cmd")
        configure(app.config)
        self.bot = telebot.TeleBot(app.config["TELEGRAM_BOT_TOKEN"], threaded=False, validate_token=False)

    def run(self):
        wait = int(self.app.config["TELEGRAM_POLL_TIMEOUT"])
        while not self.stopping.is_set():
            if not self.active.wait(timeout=1):
                continue
            pause = self.poll_once(wait)
            if pause:
                self.stopping.wait(pause)
        self.pool.shutdown(wait=False)

    def poll_once(self, wait):
        """One getUpdates; returns how long to pause before the next (0: at once)."""
        try:
            updates = self.bot.get_updates(offset=self.offset, timeout=wait + 10, long_polling_timeout=wait)
        except apihelper.ApiTelegramException as error:
            if error.error_code == 409:
                log.warning("Telegram: poller lain sedang aktif untuk bot ini (409), menunggu")
                return CONFLICT_PAUSE
            if error.error_code == 401:
                log.error("Telegram: token bot ditolak (401); periksa TELEGRAM_BOT_TOKEN")
                return UNAUTHORIZED_PAUSE
            log.warning("Telegram getUpdates gagal: %s", redact(error))
            return ERROR_PAUSE
        except (apihelper.ApiException, requests.RequestException) as error:
            log.warning("Telegram getUpdates gagal: %s", redact(error))
            return ERROR_PAUSE
        for update in updates:
            self.offset = update.update_id + 1
            self.pool.submit(self.handle, update)
        return 0

    def handle(self, update):
        with self.app.app_context():
            try:
                if update.callback_query is not None:
                    self._callback(update.callback_query)
                elif update.message is not None and update.message.text:
                    self._message(update.message)
            except Exception:
                log.exception("Telegram: update %s gagal ditangani", update.update_id)

    def _message(self, message):
        chat_id, who = message.chat.id, _name(message.from_user)
        if not self._allowed(chat_id, who, message.text):
            return
        _queue(chat_id, bot.answer(message.text, who))

    def _callback(self, query):
        chat_id, who = query.message.chat.id, _name(query.from_user)
        allowed = self._allowed(chat_id, who, f"[tombol] {query.data}", tell=False)
        notice, work = bot.pressed(query.data, who) if allowed else (texts.CALLBACK_REFUSED, None)
        try:
            # A stale or forged button is told in an alert the presser must close.
            self.bot.answer_callback_query(query.id, text=notice, show_alert=allowed and work is None)
        except (apihelper.ApiException, requests.RequestException) as error:
            log.warning("Telegram answerCallbackQuery gagal: %s", redact(error))
        if work is not None:
            _queue(chat_id, work())

    def _allowed(self, chat_id, who, text, tell=True):
        if chats.is_allowed(chat_id):
            return True
        log.warning("Telegram: chat %s (%s) ditolak: %r", chat_id, who, text)

        def work():
            if chats.note_refused(chat_id, who, text) and tell:
                outbox.enqueue(
                    str(chat_id), texts.REFUSED.format(chat_id=chat_id), kanal=alerts.KANAL, sumber="ditolak"
                )

        run_in_transaction(work)
        return False


def _name(user):
    if user is None:
        return ""
    full = " ".join(part for part in (user.first_name, user.last_name) if part)
    return f"{full} (@{user.username})" if user.username else full


def _queue(chat_id, replies):
    def work():
        for reply in replies:
            outbox.enqueue(str(chat_id), reply.text, kanal=alerts.KANAL, sumber="bot", opsi=reply.keyboard)

    run_in_transaction(work)


def run(app, active, stopping):
    """The worker's loop entry point."""
    TelegramPoller(app, active, stopping).run()
