// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// raftrs-bench: the raft-rs side of bench/run (crate `raft` 0.7.0). The same workloads as
// bench/c and bench/go: (a) one voter on a MemStorage, propose -> Ready -> persist -> apply ->
// advance, with 1 or 64 proposals per Ready, or 64 entries in one MsgPropose (single_p64);
// (b) three voters in one process, every message serialized with raft-rs's protobuf codec
// (write_to_bytes) into a queue and decoded by the receiver (parse_from_bytes + step);
// (c) codec: write_to_bytes / parse_from_bytes of the raftpb Messages of bench/c/bench_codec.c
// and bench/go (codecMsg); (d) memory: live bytes per idle 3-voter group (follower, leader) and
// per log entry beyond its 16 B payload, as bench/c/bench_memory.c and bench/go measure them.
// Usage: raftrs-bench [--quick] [-w a|b|c|d|all] [--run N]. Prints one JSON object per line.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Instant;

use protobuf::Message as PbMessage;
use raft::eraftpb::{ConfState, Entry, EntryType, Message, MessageType, Snapshot};
use raft::storage::MemStorage;
use raft::{Config, RawNode, StateRole};
use slog::{o, Discard, Logger};

// ---- allocation counter (allocs_per_entry, as the C and Go sides report) and live bytes
// (workload d: bytes requested minus bytes freed, the Layout sizes; raftc's hooks count
// malloc_usable_size instead, Go the HeapAlloc) ----

struct Counting;
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicI64 = AtomicI64::new(0);
// Live bytes are counted only while workload (d) runs, so (a)-(c) pay no extra atomic add.
static TRACK_LIVE: AtomicBool = AtomicBool::new(false);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        let p = System.alloc(l);
        if !p.is_null() && TRACK_LIVE.load(Ordering::Relaxed) {
            LIVE.fetch_add(l.size() as i64, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        if TRACK_LIVE.load(Ordering::Relaxed) {
            LIVE.fetch_sub(l.size() as i64, Ordering::Relaxed);
        }
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        let q = System.realloc(p, l, n);
        if !q.is_null() && TRACK_LIVE.load(Ordering::Relaxed) {
            LIVE.fetch_add(n as i64 - l.size() as i64, Ordering::Relaxed);
        }
        q
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocs() -> u64 {
    ALLOCS.load(Ordering::Relaxed)
}

fn live_bytes() -> i64 {
    LIVE.load(Ordering::Relaxed)
}

// ---- output ----

struct Opts {
    quick: bool,
    run: i64,
}

fn emit(o: &Opts, bench: &str, fields: &str) {
    println!(
        "{{\"lib\":\"raft-rs\",\"version\":\"0.7.0\",\"bench\":\"{}\",\"run\":{}{}{}}}",
        bench,
        o.run,
        if fields.is_empty() { "" } else { "," },
        fields
    );
}

fn emit_err(o: &Opts, bench: &str, what: &str) {
    let clean: String = what
        .chars()
        .map(|c| {
            if c == '"' || c == '\\' || c < ' ' {
                ' '
            } else {
                c
            }
        })
        .collect();
    emit(o, bench, &format!("\"error\":\"{}\"", clean));
    eprintln!("raft-rs {}: {}", bench, clean);
}

fn pick(o: &Opts, q: usize, full: usize) -> usize {
    if o.quick {
        q
    } else {
        full
    }
}

// ---- a node: RawNode over MemStorage, bootstrapped from a snapshot at (1, 1) ----

struct Node {
    rn: RawNode<MemStorage>,
    applied: u64,
}

fn new_node(id: u64, voters: &[u64], logger: &Logger) -> Node {
    let st = MemStorage::new();
    let mut snap = Snapshot::default();
    snap.mut_metadata().index = 1;
    snap.mut_metadata().term = 1;
    let mut cs = ConfState::default();
    cs.voters = voters.to_vec();
    snap.mut_metadata().set_conf_state(cs);
    st.wl().apply_snapshot(snap).expect("apply_snapshot");
    let cfg = Config {
        id,
        election_tick: 10,
        heartbeat_tick: 1,
        applied: 1,
        max_size_per_msg: 1 << 20,
        max_inflight_msgs: 256,
        ..Default::default()
    };
    let rn = RawNode::new(&cfg, st, logger).expect("RawNode::new");
    Node { rn, applied: 1 }
}

impl Node {
    fn is_leader(&self) -> bool {
        self.rn.raft.state == StateRole::Leader
    }

    fn compact(&mut self, i: u64) {
        let _ = self.rn.mut_store().wl().compact(i);
    }

    fn apply(&mut self, ents: &[Entry]) -> usize {
        let mut n = 0;
        for e in ents {
            n += (!e.data.is_empty()) as usize;
            self.applied = e.index;
        }
        n
    }

    // One Ready: send messages, apply committed entries, persist entries and HardState,
    // advance (then the LightReady's commit, messages and committed entries). Returns the
    // committed entries that carried data.
    fn handle_ready(&mut self, send: &mut dyn FnMut(&Message)) -> usize {
        let rd = self.rn.ready();
        for m in rd.messages() {
            send(m);
        }
        let mut applied = self.apply(rd.committed_entries());
        {
            let store = self.rn.mut_store();
            if !rd.entries().is_empty() {
                store.wl().append(rd.entries()).expect("append");
            }
            if let Some(hs) = rd.hs() {
                store.wl().set_hardstate(hs.clone());
            }
        }
        for m in rd.persisted_messages() {
            send(m);
        }
        let light = self.rn.advance(rd);
        if let Some(c) = light.commit_index() {
            self.rn.mut_store().wl().mut_hard_state().commit = c;
        }
        for m in light.messages() {
            send(m);
        }
        applied += self.apply(light.committed_entries());
        self.rn.advance_apply();
        applied
    }

    fn settle(&mut self) {
        for _ in 0..100 {
            if !self.rn.has_ready() {
                break;
            }
            self.handle_ready(&mut |_| {});
        }
    }
}

// The Storage trait's first_index (MemStorageCore's own is private).
fn storage_first_index(n: &Node) -> u64 {
    use raft::Storage;
    n.rn.store().first_index().unwrap_or(0)
}

// ---- (a) one voter ----

fn bench_single(o: &Opts, logger: &Logger, batch: usize, one_msg: bool, total: usize) {
    let bench = if one_msg {
        format!("single_p{}", batch)
    } else {
        format!("single_b{}", batch)
    };
    let mut n = new_node(1, &[1], logger);
    let _ = n.rn.campaign();
    n.settle();
    if !n.is_leader() {
        emit_err(o, &bench, "single voter did not become leader");
        return;
    }
    let payload = [7u8; 16];
    let run = |n: &mut Node, count: usize| -> bool {
        let (mut applied, mut stall) = (0usize, 0);
        while applied < count {
            if one_msg {
                // etcd's Step of a MsgPropose with many entries (raft-rs: RawNode::step).
                let mut m = Message::default();
                m.set_msg_type(MessageType::MsgPropose);
                m.from = 1;
                m.to = 1;
                let mut ents = Vec::with_capacity(batch);
                for _ in 0..batch {
                    let mut e = Entry::default();
                    e.data = payload.to_vec().into();
                    ents.push(e);
                }
                m.entries = ents.into();
                if let Err(e) = n.rn.step(m) {
                    emit_err(o, &bench, &format!("step MsgPropose: {}", e));
                    return false;
                }
            } else {
                for _ in 0..batch {
                    if let Err(e) = n.rn.propose(vec![], payload.to_vec()) {
                        emit_err(o, &bench, &format!("propose: {}", e));
                        return false;
                    }
                }
            }
            let before = applied;
            for _ in 0..16 {
                if !n.rn.has_ready() {
                    break;
                }
                applied += n.handle_ready(&mut |_| {});
            }
            if applied == before {
                stall += 1;
                if stall > 1000 {
                    emit_err(o, &bench, "no progress (entries not committed)");
                    return false;
                }
            } else {
                stall = 0;
            }
            if n.applied > storage_first_index(n) + 8192 {
                let a = n.applied;
                n.compact(a);
            }
        }
        true
    };
    if !run(&mut n, total / 10) {
        return;
    }
    let a0 = allocs();
    let t0 = Instant::now();
    if !run(&mut n, total) {
        return;
    }
    let ns = t0.elapsed().as_nanos() as f64;
    let a1 = allocs();
    emit(
        o,
        &bench,
        &format!(
            "\"entries\":{},\"entries_per_s\":{:.1},\"ns_per_entry\":{:.2},\"allocs_per_entry\":{:.4},\"msgs_per_entry\":0,\"wire_bytes_per_entry\":0",
            total,
            total as f64 / (ns / 1e9),
            ns / total as f64,
            (a1 - a0) as f64 / total as f64
        ),
    );
}

// ---- (b) three voters over a serializing in-memory transport ----

struct Cluster {
    nodes: Vec<Node>,
    q: Vec<(u64, Vec<u8>)>,
    msgs: u64,
    bytes: u64,
}

impl Cluster {
    // One Ready per node, then every queued message is decoded and stepped into its receiver.
    // Returns node 1's applied data entries.
    fn pump(&mut self) -> Result<usize, String> {
        let mut applied = 0;
        let mut q = std::mem::take(&mut self.q);
        q.clear();
        for i in 0..self.nodes.len() {
            if !self.nodes[i].rn.has_ready() {
                continue;
            }
            let a = self.nodes[i].handle_ready(&mut |m: &Message| {
                q.push((m.to, m.write_to_bytes().expect("encode")));
            });
            if i == 0 {
                applied += a;
            }
        }
        for (to, b) in q.iter() {
            self.msgs += 1;
            self.bytes += b.len() as u64;
            if *to < 1 || *to > self.nodes.len() as u64 {
                continue;
            }
            let m = Message::parse_from_bytes(b).map_err(|e| format!("decode: {}", e))?;
            match self.nodes[(*to - 1) as usize].rn.step(m) {
                Ok(()) | Err(raft::Error::ProposalDropped) => {}
                Err(e) => return Err(format!("step: {}", e)),
            }
        }
        self.q = q;
        Ok(applied)
    }
}

/// Entries run before the timed part: a tenth of the run, at least 5000 (past the storages'
/// first compaction, so the timed part sees the steady state) when the run is that long; the
/// same rule in every harness (bench/c, bench/go, bench/c/canonical).
fn cluster_warmup(total: usize) -> usize {
    let w = total / 10;
    if w >= 5000 {
        w
    } else {
        total.min(5000)
    }
}

fn bench_cluster(o: &Opts, logger: &Logger, size: usize, total: usize) {
    let bench = format!("cluster3_{}", size);
    let voters = [1u64, 2, 3];
    let mut c = Cluster {
        nodes: voters
            .iter()
            .map(|&id| new_node(id, &voters, logger))
            .collect(),
        q: Vec::new(),
        msgs: 0,
        bytes: 0,
    };
    let _ = c.nodes[0].rn.campaign();
    for _ in 0..100 {
        if c.nodes[0].is_leader() {
            break;
        }
        if let Err(e) = c.pump() {
            emit_err(o, &bench, &e);
            return;
        }
    }
    if !c.nodes[0].is_leader() {
        emit_err(o, &bench, "no leader elected within 100 rounds");
        return;
    }
    let batch = if size >= 65536 { 4 } else { 64 };
    let window = 4 * batch;
    let payload = vec![0u8; size];
    let mut last_compact = 0u64;
    let mut run = |c: &mut Cluster, count: usize| -> bool {
        let (mut applied, mut proposed, mut stall) = (0usize, 0usize, 0);
        while applied < count {
            if proposed - applied < window {
                for _ in 0..batch {
                    if let Err(e) = c.nodes[0].rn.propose(vec![], payload.clone()) {
                        emit_err(o, &bench, &format!("propose: {}", e));
                        return false;
                    }
                }
                proposed += batch;
            }
            let a = match c.pump() {
                Ok(a) => a,
                Err(e) => {
                    emit_err(o, &bench, &e);
                    return false;
                }
            };
            applied += a;
            if a == 0 {
                stall += 1;
                if stall > 1000 {
                    emit_err(o, &bench, "no progress (entries not committed)");
                    return false;
                }
            } else {
                stall = 0;
            }
            let min_applied = c.nodes.iter().map(|n| n.applied).min().unwrap_or(0);
            if min_applied > last_compact + (4096 + 2 * window) as u64 {
                last_compact = min_applied - (2 * window) as u64;
                for n in c.nodes.iter_mut() {
                    n.compact(last_compact);
                }
            }
        }
        true
    };
    if !run(&mut c, cluster_warmup(total)) {
        return;
    }
    let (m0, b0) = (c.msgs, c.bytes);
    let t0 = Instant::now();
    if !run(&mut c, total) {
        return;
    }
    let s = t0.elapsed().as_secs_f64();
    emit(
        o,
        &bench,
        &format!(
            "\"entries\":{},\"payload\":{},\"entries_per_s\":{:.1},\"mb_per_s\":{:.2},\"msgs_per_entry\":{:.4},\"wire_bytes_per_entry\":{:.2},\"persists\":\"HardState (term, vote, commit) when changed + entries\"",
            total,
            size,
            total as f64 / s,
            (total * size) as f64 / s / 1e6,
            (c.msgs - m0) as f64 / total as f64,
            (c.bytes - b0) as f64 / total as f64
        ),
    );
}

// ---- (c) encode / decode of raftpb Messages ----

// The messages of bench/go's codecMsg and bench/c/bench_codec.c: to 2, from 1; MsgAppend at
// term 5, log term 5, index 100, commit 99 with n entries (term 5, index 101.., normal, a
// zeroed payload of size bytes); MsgHeartbeat (term 5, commit 99); MsgRequestVote (term 6,
// log term 5, index 100).
fn codec_msg(name: &str) -> Message {
    let mut m = Message {
        to: 2,
        from: 1,
        ..Default::default()
    };
    match name {
        "heartbeat" => {
            m.set_msg_type(MessageType::MsgHeartbeat);
            m.term = 5;
            m.commit = 99;
            return m;
        }
        "vote" => {
            m.set_msg_type(MessageType::MsgRequestVote);
            m.term = 6;
            m.log_term = 5;
            m.index = 100;
            return m;
        }
        _ => {}
    }
    let (n, size) = match name {
        "app_16x1k" => (16, 1024),
        "app_1x64k" => (1, 65536),
        _ => (1, 16),
    };
    m.set_msg_type(MessageType::MsgAppend);
    m.term = 5;
    m.log_term = 5;
    m.index = 100;
    m.commit = 99;
    let mut ents = Vec::with_capacity(n);
    for i in 0..n {
        let mut e = Entry::default();
        e.set_entry_type(EntryType::EntryNormal);
        e.term = 5;
        e.index = 101 + i as u64;
        e.data = vec![0u8; size].into();
        ents.push(e);
    }
    m.entries = ents.into();
    m
}

// Runs f in batches of 256 for at least min_ns (the C and Go loops); returns ns/op and
// allocations (alloc + realloc calls) per op.
fn codec_measure(min_ns: u128, f: &mut dyn FnMut() -> bool) -> Option<(f64, f64)> {
    let mut iters = 0u64;
    let a0 = allocs();
    let t0 = Instant::now();
    let mut el;
    loop {
        for _ in 0..256 {
            if !f() {
                return None;
            }
        }
        iters += 256;
        el = t0.elapsed().as_nanos();
        if el >= min_ns {
            break;
        }
    }
    let a1 = allocs();
    Some((el as f64 / iters as f64, (a1 - a0) as f64 / iters as f64))
}

fn bench_codec(o: &Opts) {
    let min_ns = pick(o, 20, 300) as u128 * 1_000_000;
    for name in ["app_1x16", "app_16x1k", "app_1x64k", "heartbeat", "vote"] {
        let bench = format!("codec_{}", name);
        let m = codec_msg(name);
        let b = match m.write_to_bytes() {
            Ok(b) => b,
            Err(e) => {
                emit_err(o, &bench, &format!("encode: {}", e));
                continue;
            }
        };
        match Message::parse_from_bytes(&b) {
            Ok(d) if d == m => {}
            Ok(_) => {
                emit_err(o, &bench, "decoded message differs from the encoded one");
                continue;
            }
            Err(e) => {
                emit_err(o, &bench, &format!("decode: {}", e));
                continue;
            }
        }
        // encode: from the struct, as Go's Marshal (write_to_bytes computes the sizes, then
        // writes into one Vec); decode: into a fresh Message, payloads copied out of the buffer
        // (Bytes::copy_from_slice), as Go's Unmarshal.
        let enc = codec_measure(min_ns, &mut || {
            black_box(black_box(&m).write_to_bytes()).is_ok()
        });
        let dec = codec_measure(min_ns, &mut || {
            black_box(Message::parse_from_bytes(black_box(&b[..]))).is_ok()
        });
        match (enc, dec) {
            (Some((e_ns, e_al)), Some((d_ns, d_al))) => emit(
                o,
                &bench,
                &format!(
                    "\"bytes\":{},\"encode_ns\":{:.2},\"encode_allocs\":{:.2},\"decode_ns\":{:.2},\"decode_allocs\":{:.2}",
                    b.len(),
                    e_ns,
                    e_al,
                    d_ns,
                    d_al
                ),
            ),
            _ => emit_err(o, &bench, "encode/decode failed while timing"),
        }
    }
}

// ---- (d) memory ----

// The arguments of bench_memory.c's step_msg (and bench/go's encodeMsg), in that order.
#[allow(clippy::too_many_arguments)]
fn step_msg(
    n: &mut Node,
    t: MessageType,
    from: u64,
    term: u64,
    log_term: u64,
    index: u64,
    commit: u64,
    entry: Option<(u64, u64)>,
) -> Result<(), String> {
    let mut m = Message::default();
    m.set_msg_type(t);
    m.to = 1;
    m.from = from;
    m.term = if term != 0 { term } else { n.rn.raft.term };
    m.log_term = log_term;
    m.index = index;
    m.commit = commit;
    if let Some((et, ei)) = entry {
        let e = Entry {
            term: et,
            index: ei,
            ..Default::default()
        };
        m.entries = vec![e].into();
    }
    n.rn.step(m).map_err(|e| format!("step {:?}: {}", t, e))
}

// Node 1 of a 3-voter group after a heartbeat cycle, as bench_memory.c and bench/go's idleGroup
// build it. Follower: leader 2 (term 2) appended its empty entry (index 2) with commit 2, node 1
// persisted, applied and answered, then leader 2 sent a heartbeat that node 1 answered. Leader:
// node 1 won the term-2 election, its empty entry was acked by 2 and 3 and applied, then one
// tick sent a heartbeat round that both peers answered. Messages to peers are dropped (settle).
fn idle_group(leader: bool, logger: &Logger) -> Result<Box<Node>, String> {
    let mut n = Box::new(new_node(1, &[1, 2, 3], logger));
    n.settle();
    if !leader {
        step_msg(&mut n, MessageType::MsgAppend, 2, 2, 1, 1, 2, Some((2, 2)))?;
        n.settle();
        step_msg(&mut n, MessageType::MsgHeartbeat, 2, 2, 0, 0, 2, None)?;
        n.settle();
        return Ok(n);
    }
    n.rn.campaign().map_err(|e| format!("campaign: {}", e))?;
    n.settle();
    step_msg(
        &mut n,
        MessageType::MsgRequestVoteResponse,
        2,
        0,
        0,
        0,
        0,
        None,
    )?;
    n.settle();
    if !n.is_leader() {
        return Err("not leader after a granted vote".into());
    }
    let li = n.rn.raft.raft_log.last_index();
    for from in [2, 3] {
        step_msg(
            &mut n,
            MessageType::MsgAppendResponse,
            from,
            0,
            0,
            li,
            0,
            None,
        )?;
    }
    n.settle();
    n.rn.tick();
    n.settle();
    for from in [2, 3] {
        step_msg(
            &mut n,
            MessageType::MsgHeartbeatResponse,
            from,
            0,
            0,
            0,
            0,
            None,
        )?;
    }
    n.settle();
    Ok(n)
}

fn bench_memory(o: &Opts, logger: &Logger) {
    // From here on allocations and frees move the live count; the measured deltas stay exact for
    // blocks allocated earlier too (a free or realloc changes it by what stops or starts being
    // live).
    TRACK_LIVE.store(true, Ordering::Relaxed);
    let groups = pick(o, 1000, 10000);
    for (role, leader) in [("follower", false), ("leader", true)] {
        let bench = format!("mem_idle_{}", role);
        // The vector of boxes is allocated before the count starts (the C and Go harnesses'
        // arrays are too); each group is a Box holding the RawNode struct, so its own bytes
        // count, as Go's *node does.
        let mut keep: Vec<Box<Node>> = Vec::with_capacity(groups);
        let h0 = live_bytes();
        for _ in 0..groups {
            match idle_group(leader, logger) {
                Ok(n) => keep.push(n),
                Err(e) => {
                    emit_err(o, &bench, &e);
                    return;
                }
            }
        }
        let h1 = live_bytes();
        black_box(&keep);
        drop(keep);
        emit(
            o,
            &bench,
            &format!(
                "\"groups\":{},\"bytes_per_group\":{:.1}",
                groups,
                (h1 - h0) as f64 / groups as f64
            ),
        );
    }

    let bench = "mem_entries";
    let entries = pick(o, 100000, 1000000);
    const SIZE: usize = 16;
    let mut n = new_node(1, &[1], logger);
    let _ = n.rn.campaign();
    n.settle();
    if !n.is_leader() {
        emit_err(o, bench, "single voter did not become leader");
        return;
    }
    let payload = [7u8; SIZE];
    let h0 = live_bytes();
    let mut applied = 0usize;
    while applied < entries {
        for _ in 0..64.min(entries - applied) {
            // a fresh payload per entry, as a host would (propose takes the Vec by value)
            if let Err(e) = n.rn.propose(vec![], payload.to_vec()) {
                emit_err(o, bench, &format!("propose: {}", e));
                return;
            }
        }
        let before = applied;
        for _ in 0..16 {
            if !n.rn.has_ready() {
                break;
            }
            applied += n.handle_ready(&mut |_| {});
        }
        if applied == before {
            emit_err(o, bench, "no progress (entries not committed)");
            return;
        }
    }
    let h1 = live_bytes();
    black_box(&n);
    emit(
        o,
        bench,
        &format!(
            "\"entries\":{},\"payload\":{},\"bytes_per_entry_overhead\":{:.2},\"entry_struct_bytes\":{}",
            entries,
            SIZE,
            (h1 - h0) as f64 / entries as f64 - SIZE as f64,
            std::mem::size_of::<Entry>()
        ),
    );
}

fn main() {
    let mut o = Opts {
        quick: false,
        run: 0,
    };
    let mut w = String::from("all");
    let args: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--quick" | "-quick" => o.quick = true,
            "-w" if i + 1 < args.len() => {
                i += 1;
                w = args[i].clone();
            }
            "--run" | "-run" if i + 1 < args.len() => {
                i += 1;
                o.run = args[i].parse().unwrap_or(0);
            }
            _ => {
                eprintln!("usage: {} [--quick] [-w a|b|c|d|all] [--run N]", args[0]);
                std::process::exit(2);
            }
        }
        i += 1;
    }
    let logger = Logger::root(Discard, o!());
    if w == "a" || w == "all" {
        bench_single(&o, &logger, 1, false, pick(&o, 50000, 500000));
        bench_single(&o, &logger, 64, false, pick(&o, 200000, 2000000));
        bench_single(&o, &logger, 64, true, pick(&o, 200000, 2000000));
    }
    if w == "b" || w == "all" {
        bench_cluster(&o, &logger, 16, pick(&o, 20000, 300000));
        bench_cluster(&o, &logger, 128, pick(&o, 20000, 300000));
        bench_cluster(&o, &logger, 1024, pick(&o, 20000, 200000));
        bench_cluster(&o, &logger, 65536, pick(&o, 1000, 20000));
    }
    if w == "c" || w == "all" {
        bench_codec(&o);
    }
    if w == "d" || w == "all" {
        bench_memory(&o, &logger);
    }
}
