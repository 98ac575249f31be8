"""代表联络助手 — composition root and services of the Representative Liaison Bot."""
