"""Constituents' concerns (社情民意): recording, following up through states, lists, export,
erasing a constituent's contact, and the follow-up query.

The stored types are named here so that handlers reach them through this layer.
"""

from storage.concerns import ConcernRow
from storage.duty_models import Concern, ConcernEvent, ConcernState

__all__ = ["Concern", "ConcernEvent", "ConcernRow", "ConcernState"]
