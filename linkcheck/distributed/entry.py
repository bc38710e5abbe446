"""What each `linkcheck worker` process loads (Dramatiq's worker imports this module): the broker from the
configuration in effect (`linkcheck worker` puts --broker in LINKCHECK_DISTRIBUTED_BROKER), and the actor."""

from __future__ import annotations

import atexit
import os
from pathlib import Path

import dramatiq

from linkcheck.configuration import configure
from linkcheck.distributed.broker import connect
from linkcheck.distributed.worker import ShardChecker, declare_actor

_settings = configure(os.environ.get("LINKCHECK_CONFIG"), os.environ, Path.cwd()).settings
_connection = connect(_settings.distributed)
broker = _connection.broker
dramatiq.set_broker(broker)
_checker = ShardChecker(_connection.channel, _connection.locks, shared_archive=_settings.distributed.shared_archive)
atexit.register(_checker.close)
check_shard = declare_actor(broker, lambda: _checker)
