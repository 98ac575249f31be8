"""The delivery sender: drains the outbox of services.deliveries into Telegram."""
