// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

//! raftengine-bench-disk: TiKV's raft-engine (crate `raft-engine`) under the workloads of
//! raftc-bench-disk (bench/c/bench_disk.c), for bench/disk/run:
//!   - fsync'd entries/s: one LogBatch of B entries (128-byte payloads) per write, written with
//!     sync = true, for B = 1 and 64 (one raft group);
//!   - bytes written per entry: bytes passed to write(2) (/proc/self/io wchar) / entries;
//!   - recovery: Engine::open of a log of N entries (default 1,000,000) plus fetching them all.
//! Batch compression is off (the payloads are the same byte repeated; raftc and etcd's WAL do
//! not compress). Usage: raftengine-bench-disk --dir D [--seconds S] [--recover N]. Prints the
//! same lines as raftc-bench-disk.

use std::time::Instant;

use raft_engine::{Config, Engine, LogBatch, MessageExt, ReadableSize};
use raft_proto::eraftpb::Entry;

const PAYLOAD: usize = 128;

#[derive(Clone)]
struct Msg;

impl MessageExt for Msg {
    type Entry = Entry;
    fn index(e: &Entry) -> u64 {
        e.index
    }
}

fn wchar() -> u64 {
    let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    io.lines()
        .find_map(|l| l.strip_prefix("wchar: ").and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn open(dir: &str) -> Engine {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("raftengine-bench-disk: create {dir}: {e}");
        std::process::exit(1)
    }
    let cfg = Config {
        dir: dir.to_string(),
        batch_compression_threshold: ReadableSize(0),
        ..Default::default()
    };
    Engine::open(cfg).unwrap_or_else(|e| {
        eprintln!("raftengine-bench-disk: open {dir}: {e}");
        std::process::exit(1)
    })
}

/// Writes batches of n entries from *next until `seconds` passed (seconds > 0) or max entries.
fn append_for(e: &Engine, n: usize, next: &mut u64, seconds: f64, max: u64, sync: bool) -> u64 {
    let payload = vec![b'x'; PAYLOAD];
    let mut done = 0u64;
    let t0 = Instant::now();
    while done < max && (seconds <= 0.0 || t0.elapsed().as_secs_f64() < seconds) {
        let ents: Vec<Entry> = (0..n as u64)
            .map(|k| {
                let mut ent = Entry::default();
                ent.term = 1;
                ent.index = *next + k;
                ent.data = payload.clone().into();
                ent
            })
            .collect();
        let mut batch = LogBatch::default();
        batch.add_entries::<Msg>(1, &ents).expect("add_entries");
        e.write(&mut batch, sync).expect("write");
        *next += n as u64;
        done += n as u64;
    }
    done
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mut dir, mut seconds, mut recover_n) = (None, 3.0f64, 1_000_000u64);
    let mut i = 1;
    while i + 1 < args.len() {
        match args[i].as_str() {
            "--dir" => dir = Some(args[i + 1].clone()),
            "--seconds" => seconds = args[i + 1].parse().expect("--seconds"),
            "--recover" => recover_n = args[i + 1].parse().expect("--recover"),
            _ => break,
        }
        i += 2;
    }
    let Some(dir) = dir.filter(|_| i == args.len()) else {
        eprintln!("usage: raftengine-bench-disk --dir D [--seconds S] [--recover N]");
        std::process::exit(2)
    };
    println!("raftengine-bench-disk: directory {dir}, {PAYLOAD}-byte payloads");
    for b in [1usize, 64] {
        let e = open(&format!("{dir}/fsync-{b}"));
        let mut next = 1;
        let w0 = wchar();
        let t0 = Instant::now();
        let n = append_for(&e, b, &mut next, seconds, u64::MAX, true);
        let el = t0.elapsed().as_secs_f64();
        let w1 = wchar();
        println!(
            "fsync'd appends, batch {b:2}: {:10.0} entries/s ({:8.0} fsyncs/s), {:.1} bytes \
             written per entry",
            n as f64 / el,
            n as f64 / b as f64 / el,
            (w1 - w0) as f64 / n as f64
        );
    }
    let path = format!("{dir}/recover");
    {
        let e = open(&path);
        let mut next = 1;
        append_for(&e, 1000, &mut next, 0.0, recover_n, false);
        e.sync().expect("sync");
    }
    let t0 = Instant::now();
    let e = open(&path);
    let mut ents = Vec::with_capacity(recover_n as usize);
    let first = e.first_index(1).unwrap_or(1);
    let last = e.last_index(1).unwrap_or(0);
    e.fetch_entries_to::<Msg>(1, first, last + 1, None, &mut ents)
        .expect("fetch");
    let el = t0.elapsed().as_secs_f64();
    println!(
        "recovery: {} entries ({PAYLOAD}-byte payloads) replayed in {el:.3} s ({:.2} M entries/s)",
        ents.len(),
        ents.len() as f64 / el / 1e6
    );
    if ents.len() as u64 != recover_n {
        std::process::exit(1);
    }
}
