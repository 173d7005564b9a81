"""Network monitor: RouterOS Netwatch and built-in checks, events, Telegram alerts and bot."""
