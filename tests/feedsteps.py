"""When a story's step is polled: shared by tests/test_stories.py and bench/eval_negotiations.py."""

from __future__ import annotations

import email.utils
import re
from datetime import datetime, timedelta
from pathlib import Path


def poll_time(step: Path) -> datetime:
    """The step's newest item (RSS pubDate, Atom published/updated) + 12 h."""
    text = step.read_text()
    dates = [email.utils.parsedate_to_datetime(d) for d in re.findall(r"<pubDate>(.*?)</pubDate>", text)]
    dates += [datetime.fromisoformat(d) for d in re.findall(r"<(?:published|updated)>(.*?)</", text)]
    return max(dates) + timedelta(hours=12)
