"""@mentions in comments: `@username` of someone assigned to the country assessment."""

import re

MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


def mentioned_usernames(body: str) -> set[str]:
    return {name.rstrip(".").lower() for name in MENTION.findall(body or "")}
