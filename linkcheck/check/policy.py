"""What applies to one URL once `[domains]` rules are taken into account: timeouts, retries, agent, TLS."""

from __future__ import annotations

from dataclasses import dataclass

from linkcheck.settings import DomainRule, Settings


@dataclass(frozen=True)
class RequestPolicy:
    """What applies to one URL after `[domains]` rules: timeouts, retries, agent, TLS."""

    timeout: float
    deadline: float
    retries: int
    user_agent: str
    verify: bool | str
    accept_status: tuple[int, ...] = ()


def policy_for(settings: Settings, host: str) -> RequestPolicy:
    check = settings.check
    rule: DomainRule | None = settings.domain_rule(host)
    verify: bool | str = True
    if rule is not None and rule.ca_bundle:
        verify = rule.ca_bundle
    elif rule is not None and rule.verify is not None:
        verify = rule.verify
    timeout = rule.timeout if rule and rule.timeout is not None else check.timeout
    return RequestPolicy(
        timeout=timeout,
        deadline=max(check.deadline, timeout),
        retries=rule.retries if rule and rule.retries is not None else check.retries,
        user_agent=rule.user_agent if rule and rule.user_agent else check.user_agent,
        verify=verify,
        accept_status=tuple(dict.fromkeys(check.accept_status + (rule.accept_status if rule else ()))),
    )


def configured_headers(settings: Settings, host: str) -> dict[str, str]:
    """The headers configured for a request to `host`: `[check] headers`, then (replacing any of the
    same name, whatever its case) those of its `[domains]` rule.

    Decided for each hop of a redirect chain, so a domain's cookie never follows a redirect off it.
    """
    rule = settings.domain_rule(host)
    merged: dict[str, tuple[str, str]] = {}
    for name, value in [*settings.check.headers.items(), *(rule.headers.items() if rule else ())]:
        merged[name.lower()] = (name, value)
    return dict(merged.values())
