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
        accept_status=rule.accept_status if rule else (),
    )
