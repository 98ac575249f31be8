"""The meeting as handlers see it (they do not reach storage themselves)."""

from storage.meeting_models import Meeting, MeetingState

__all__ = ["Meeting", "MeetingState"]
