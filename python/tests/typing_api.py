# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# typing_api.py: checked by `mypy --strict` in CI (tools/test-all.sh), not run by pytest. Each
# `type: ignore[...]` line is a mistake the type stubs must reject: under --strict an ignore
# that is not needed is itself an error, so a stub that accepted the mistake fails CI.
import pyraftc
from pyraftc import raftpb

m = raftpb.Message(type=raftpb.MsgApp, from_=1, to=2, term=3, log_term=2, index=7,
                   entries=[raftpb.Entry(term=3, index=8, data=b"x")])
sender: int = m.from_
peers = {pyraftc.Peer(id=1), pyraftc.Peer(id=2)}
term: int = pyraftc.MemoryStorage().initial_state()[0].term

raftpb.Message(logTerm=3)  # type: ignore[call-arg]
raftpb.Message(from_="1")  # type: ignore[arg-type]
raftpb.Entry(data="text")  # type: ignore[arg-type]
m.from_ = 2  # type: ignore[misc]
