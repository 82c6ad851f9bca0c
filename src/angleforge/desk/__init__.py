"""The review desk: the store's drafts in a browser, as the X threads they will become, decided
through the same API as `angleforge review`. Served on this machine by `angleforge review --web`."""

from angleforge.desk.app import create_app
from angleforge.desk.guard import Access
from angleforge.desk.server import DeskSettings, serve

__all__ = ["Access", "DeskSettings", "create_app", "serve"]
