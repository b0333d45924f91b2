// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// raftrs-bench: the raft-rs side of bench/run (crate `raft` 0.7.0). The same workloads as
// bench/c and bench/go: (a) one voter on a MemStorage, propose -> Ready -> persist -> apply ->
// advance, with 1 or 64 proposals per Ready, or 64 entries in one MsgPropose (single_p64);
// (b) three voters in one process, every message serialized with raft-rs's protobuf codec
// (write_to_bytes) into a queue and decoded by the receiver (parse_from_bytes + step).
// Usage: raftrs-bench [--quick] [-w a|b|all] [--run N]. Prints one JSON object per line.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use protobuf::Message as PbMessage;
use raft::eraftpb::{ConfState, Entry, Message, MessageType, Snapshot};
use raft::storage::MemStorage;
use raft::{Config, RawNode, StateRole};
use slog::{o, Discard, Logger};

// ---- allocation counter (allocs_per_entry, as the C and Go sides report) ----

struct Counting;
static ALLOCS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.realloc(p, l, n)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocs() -> u64 {
    ALLOCS.load(Ordering::Relaxed)
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
    let clean: String = what.chars().map(|c| if c == '"' || c == '\\' || c < ' ' { ' ' } else { c }).collect();
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
    let bench = if one_msg { format!("single_p{}", batch) } else { format!("single_b{}", batch) };
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
        nodes: voters.iter().map(|&id| new_node(id, &voters, logger)).collect(),
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

fn main() {
    let mut o = Opts { quick: false, run: 0 };
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
                eprintln!("usage: {} [--quick] [-w a|b|all] [--run N]", args[0]);
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
}
