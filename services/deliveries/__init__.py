"""The delivery engine's service API: what to send to whom, and when (sent by bot.deliveries).

Later features call `enqueue` with an audience and content; operators pause, resume and cancel.
"""
