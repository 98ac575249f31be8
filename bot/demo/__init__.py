"""The demo: a small roster and its accounts, for trying the bot without Telegram."""
