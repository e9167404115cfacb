"""Links in text, and whether they point at a brand's own domains.

What counts as a link (the networks turn each of these into something a reader
can click or write to):

- anything with a scheme and ``://`` (``https://…``, ``http://…``, ``ftp://…``);
- a host starting with ``www.`` (``www.evil.example/login``);
- a bare host name followed by a path (``evil.example/login``), or ending in a
  common generic top-level domain (``evil.com``, ``offer.io``); other bare names
  with a dot (``Node.js``, ``README.md``, ``e.g.``) are ordinary words;
- an e-mail address (``mailto:`` or ``name@host``): a contact channel readers act
  on, and the usual way to ask for a password.

A fediverse handle (``@name@host``) is a mention of an account, not a link, and
is left alone. A link's host is the one a browser would go to: user names,
ports and backslash tricks (``https://brand.example\\@evil.example``) do not hide it.
A host is the brand's own when it is one of the brand's domains or a subdomain
of one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

# Bare names ending in these are links; see the module docstring.
COMMON_TLDS = frozenset({
    "com", "net", "org", "info", "biz", "edu", "gov", "mil", "int", "io", "co", "ai", "app",
    "dev", "xyz", "online", "site", "website", "shop", "store", "top", "club", "tech", "link",
    "click", "live", "me", "ly", "gg", "tv", "cc", "page", "blog", "news", "space", "fun", "icu",
    "pro", "cloud",
})  # fmt: skip

# IDNA maps these full stops to "." (a browser does too).
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_TAIL = r"[^\s<>\"'`]"
_LINK = re.compile(
    rf"""
      (?P<url>\b[a-z][a-z0-9+.\-]*://{_TAIL}+)
    | (?P<mailto>\bmailto:{_TAIL}+)
    | (?<![@\w.+\-])(?P<email>[\w.+\-]+@(?P<email_host>[\w\-]+(?:\.[\w\-]+)+))
    | (?P<www>\bwww\.[\w\-]+(?:\.[\w\-]+)+)(?:[/?#:]{_TAIL}*)?
    | (?<![@\w.\-/])(?P<bare>[\w\-]+(?:\.[\w\-]+)*\.(?P<tld>[a-z]{{2,63}}))\b(?P<path>/{_TAIL}*)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP_LABEL = r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"(?:{_LABEL}\.)+{_TOP_LABEL}"
HOSTNAME_PATTERN = rf"^{_HOST}\.?$"
"""A host name with at least one dot (international names in their ASCII ``xn--`` form)."""
WEBSITE_PATTERN = (
    rf"^(?:[Hh][Tt][Tt][Pp][Ss]?://{_HOST}(?::[0-9]{{1,5}})?(?:[/?#][^\s\x00-\x1f]*)?)?$"
)
"""An http(s) address of a host name, or nothing."""

LinkKind = Literal["url", "www", "bare", "email"]


@dataclass(frozen=True)
class Link:
    text: str
    host: str
    kind: LinkKind


def normalise_host(host: str) -> str:
    """``host`` lower-cased, without a trailing dot, international names in ASCII (IDNA)."""
    host = host.strip().translate(_DOTS).rstrip(".").lower()
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def parse_hostname(value: str) -> str:
    """A brand domain as stored: a lower-case host name; ValueError says what is wrong."""
    if len(value) > 254 or not re.fullmatch(HOSTNAME_PATTERN, value):
        raise ValueError(
            f"{value!r} is not a host name; give one such as example.com (no scheme, path, "
            "port or wildcard; an international name in its xn-- form)"
        )
    return value.rstrip(".").lower()


def website_domain(url: str) -> str:
    """The domain a website URL belongs to (``https://www.example.com/x`` → ``example.com``)."""
    if not re.fullmatch(WEBSITE_PATTERN, url) or not url:
        raise ValueError(f"{url!r} is not a web address; give one such as https://example.com")
    host = parse_hostname(urlsplit(url).hostname or "")
    return host.removeprefix("www.") if host.count(".") > 1 else host


def _url_host(url: str) -> str:
    try:  # a browser reads "\" as "/": "https://a.example\@b.example" goes to a.example
        return normalise_host(urlsplit(url.replace("\\", "/")).hostname or "")
    except ValueError:
        return ""


def links_in(text: str) -> list[Link]:
    """Every link in ``text``, in order (see the module docstring for what counts)."""
    found: list[Link] = []
    for match in _LINK.finditer(text.translate(_DOTS)):
        if match["url"]:
            found.append(Link(match["url"], _url_host(match["url"]), "url"))
        elif match["mailto"]:
            address = match["mailto"].removeprefix("mailto:").removeprefix("MAILTO:")
            host = address.split("?", 1)[0].rpartition("@")[2]
            found.append(Link(match["mailto"], normalise_host(host), "email"))
        elif match["email"]:
            found.append(Link(match["email"], normalise_host(match["email_host"]), "email"))
        elif match["www"]:
            found.append(Link(match.group(), normalise_host(match["www"]), "www"))
        elif match["path"] or match["tld"].lower() in COMMON_TLDS:
            found.append(Link(match.group(), normalise_host(match["bare"]), "bare"))
    return found


def is_own_host(host: str, domains: Iterable[str]) -> bool:
    """Whether ``host`` is one of ``domains`` or a subdomain of one."""
    host = normalise_host(host)
    return bool(host) and any(host == d or host.endswith("." + d) for d in domains if d)


def foreign_links(text: str, domains: Iterable[str]) -> list[Link]:
    """The links in ``text`` whose host is not one of ``domains`` (nor a subdomain of one)."""
    own = [normalise_host(d) for d in domains]
    return [link for link in links_in(text) if not is_own_host(link.host, own)]
