"""Which proxies to believe, and the client address they report (``X-Forwarded-For``).

Shared by :class:`ProxyHeadersMiddleware` and the rate limiter, so both pick the same client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

__all__ = ("TrustedProxies", "parse_address")

_IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_MAX_HOPS = 32  # a longer X-Forwarded-For chain is not from a real proxy chain; the rest is ignored
_CACHE_LIMIT = 4096


def parse_address(text: str) -> _IPAddress | None:
    """Parse one ``X-Forwarded-For`` entry: an IP, optionally ``[v6]`` or with a ``:port``; ``None`` if invalid."""
    text = text.strip()
    if text.startswith("["):
        end = text.find("]")
        if end == -1:
            return None
        text = text[1:end]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]  # IPv4 with a port
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class TrustedProxies:
    """A set of proxy addresses and networks whose forwarding headers are believed.

    Args:
        proxies: IP addresses (``"10.0.0.5"``, ``"::1"``) and CIDR networks (``"10.0.0.0/8"``).

    Raises:
        ValueError: For an entry that is neither an address nor a network (``"*"`` included: trusting every
            peer would let any client choose its own address).
    """

    __slots__ = ("_addresses", "_hops", "_networks")

    def __init__(self, proxies: Iterable[str]) -> None:
        self._addresses: set[_IPAddress] = set()
        self._networks: list[_IPNetwork] = []
        # PERF: parsing with ipaddress costs microseconds; the same peers and clients come back again and again.
        self._hops: dict[str, tuple[str | None, bool]] = {}
        for entry in proxies:
            try:
                if "/" in entry:
                    self._networks.append(ipaddress.ip_network(entry.strip(), strict=False))
                else:
                    self._addresses.add(ipaddress.ip_address(entry.strip()))
            except ValueError:
                raise ValueError(
                    f"Invalid trusted proxy {entry!r}: give IP addresses or CIDR networks such as '10.0.0.0/8'"
                ) from None

    def __bool__(self) -> bool:
        return bool(self._addresses or self._networks)

    def is_trusted(self, address: str | None) -> bool:
        """Whether ``address`` (an IP address as text) belongs to a trusted proxy."""
        if address is None:
            return False
        return self._hop(address)[1]

    def _hop(self, text: str) -> tuple[str | None, bool]:
        """``(normalized address or None when invalid, trusted)`` for one address, cached."""
        known = self._hops.get(text)
        if known is not None:
            return known
        parsed = parse_address(text)
        if parsed is None:
            known = (None, False)
        else:
            if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
                parsed = parsed.ipv4_mapped
            trusted = parsed in self._addresses or any(parsed in network for network in self._networks)
            known = (str(parsed), trusted)
        if len(self._hops) >= _CACHE_LIMIT:
            self._hops.clear()  # crude but bounded: a flood of distinct addresses cannot grow it
        self._hops[text] = known
        return known

    def client_from_forwarded_for(self, peer: str | None, values: Sequence[bytes]) -> str | None:
        """The client address as reported through trusted proxies, or ``None`` to keep the peer address.

        Only when ``peer`` (the address that connected to us) is trusted is the header read at all. The chain
        is then walked from the right, past every trusted proxy: the first address that is not a trusted proxy
        is the client. Entries further left were written by that client and are never believed.

        Args:
            peer: The connecting address (``scope["client"][0]``).
            values: Every ``X-Forwarded-For`` header value, in order.
        """
        if not values or not self.is_trusted(peer):
            return None
        hops = [part.strip() for value in values for part in value.decode("latin-1").split(",")]
        hops = [hop for hop in hops if hop][-_MAX_HOPS:]
        if not hops:
            return None
        for hop in reversed(hops):
            address, trusted = self._hop(hop)
            if address is None:
                # Garbage here was written by an untrusted party (no proxy writes it): stop believing the chain.
                return None
            if not trusted:
                return address
        # Every hop is one of our proxies: the leftmost is as far as the chain goes.
        return self._hop(hops[0])[0]
