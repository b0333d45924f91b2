// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// peer.go: a raftc node in a child process (tests/interop/raftc_peer.c), driven over pipes with
// length-prefixed frames. See the peer's header comment for the protocol.

package interop

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

const (
	raftcProposalDropped = -5
	raftcPeerNotFound    = -7
)

// raftcPeer is a raftc node in a child process.
type raftcPeer struct {
	id      uint64
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Reader
	stderr  bytes.Buffer
	status  Status
	dead    error
	exitErr error
}

// peerPath is the raftc peer executable (env RAFTC_INTEROP_PEER).
func peerPath() string { return os.Getenv("RAFTC_INTEROP_PEER") }

func joinIDs(ids []uint64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatUint(id, 10)
	}
	return strings.Join(s, ",")
}

func newRaftcPeer(id uint64, voters, learners []uint64, o Opts) (*raftcPeer, error) {
	args := []string{"--id", strconv.FormatUint(id, 10),
		"--election", strconv.Itoa(o.Election), "--heartbeat", strconv.Itoa(o.Heartbeat),
		"--seed", strconv.FormatUint(id*7919, 10),
		"--max-size", strconv.FormatUint(o.MaxSizePerMsg, 10), "--max-inflight", "256"}
	if len(voters) > 0 {
		args = append(args, "--voters", joinIDs(voters))
	}
	if len(learners) > 0 {
		args = append(args, "--learners", joinIDs(learners))
	}
	if o.PreVote {
		args = append(args, "--prevote")
	}
	if o.CheckQuorum {
		args = append(args, "--checkquorum")
	}
	if o.LeaseRead {
		args = append(args, "--lease-read")
	}
	if o.StepDownOnRemoval {
		args = append(args, "--step-down-on-removal")
	}
	p := &raftcPeer{id: id, cmd: exec.Command(peerPath(), args...)}
	p.cmd.Stderr = &p.stderr
	in, err := p.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p.in, p.out = in, bufio.NewReaderSize(out, 1<<16)
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	if _, err := p.call('q', nil); err != nil {
		return nil, err
	}
	return p, nil
}

// call sends one command and parses the reply.
func (p *raftcPeer) call(cmd byte, payload []byte) (Output, error) {
	var out Output
	if p.dead != nil {
		return out, p.dead
	}
	req := make([]byte, 5, 5+len(payload))
	binary.LittleEndian.PutUint32(req, uint32(1+len(payload)))
	req[4] = cmd
	req = append(req, payload...)
	if _, err := p.in.Write(req); err != nil {
		return out, p.died(err)
	}
	var hdr [4]byte
	if _, err := io.ReadFull(p.out, hdr[:]); err != nil {
		return out, p.died(err)
	}
	body := make([]byte, binary.LittleEndian.Uint32(hdr[:]))
	if _, err := io.ReadFull(p.out, body); err != nil {
		return out, p.died(err)
	}
	var callErr error
	for len(body) > 0 {
		if len(body) < 5 {
			return out, p.died(fmt.Errorf("truncated reply"))
		}
		kind, n := body[0], int(binary.LittleEndian.Uint32(body[1:]))
		if len(body) < 5+n {
			return out, p.died(fmt.Errorf("truncated record"))
		}
		data := bytes.Clone(body[5 : 5+n])
		body = body[5+n:]
		switch kind {
		case 'X':
			code := int32(binary.LittleEndian.Uint32(data))
			if code != 0 {
				callErr = &NodeErr{Msg: fmt.Sprintf("raftc error %d: %s", code, data[4:]),
					Benign: code == raftcProposalDropped || code == raftcPeerNotFound}
			}
		case 'M':
			out.Msgs = append(out.Msgs, data)
		case 'E':
			e, err := decodeEntry(data)
			if err != nil {
				return out, &NodeErr{Msg: "etcd cannot decode an entry raftc applied: " + err.Error()}
			}
			out.Applied = append(out.Applied, e)
		case 'S':
			s, err := decodeSnap(data)
			if err != nil {
				return out, &NodeErr{Msg: "etcd cannot decode a snapshot raftc applied: " + err.Error()}
			}
			out.Snaps = append(out.Snaps, s)
		case 'R':
			out.Reads = append(out.Reads, ReadState{Index: binary.LittleEndian.Uint64(data),
				Ctx: data[8:]})
		case 'L':
			out.Logs = append(out.Logs, string(data[1:]))
		case 'D':
			out.Logs = append(out.Logs, string(data))
		case 'T':
			f := func(i int) uint64 { return binary.LittleEndian.Uint64(data[8*i:]) }
			p.status = Status{ID: f(0), Term: f(1), Vote: f(2), Commit: f(3), Lead: f(4),
				State: int(f(5)), Applied: f(6), LeadTransferee: f(7), Conf: p.status.Conf}
		case 'C':
			cs, err := decodeConfState(data)
			if err != nil {
				return out, &NodeErr{Msg: "etcd cannot decode raftc's ConfState: " + err.Error()}
			}
			p.status.Conf = cs
		}
	}
	return out, callErr
}

func (p *raftcPeer) died(err error) error {
	if p.dead == nil {
		_ = p.in.Close()
		werr := p.cmd.Wait()
		p.dead = &NodeErr{Msg: fmt.Sprintf("raftc peer %d died (%v, %v); stderr: %s", p.id, err,
			werr, strings.TrimSpace(p.stderr.String()))}
	}
	return p.dead
}

func u64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

func (p *raftcPeer) Tick() (Output, error)               { return p.call('t', nil) }
func (p *raftcPeer) Step(b []byte) (Output, error)       { return p.call('s', b) }
func (p *raftcPeer) Propose(data []byte) (Output, error) { return p.call('p', data) }
func (p *raftcPeer) Campaign() (Output, error)           { return p.call('h', nil) }
func (p *raftcPeer) TransferLeader(to uint64) (Output, error) {
	return p.call('x', u64(to))
}
func (p *raftcPeer) ReadIndex(ctx []byte) (Output, error) { return p.call('r', ctx) }
func (p *raftcPeer) ReportUnreachable(id uint64) (Output, error) {
	return p.call('u', u64(id))
}
func (p *raftcPeer) ReportSnapshot(id uint64, ok bool) (Output, error) {
	st := byte(1)
	if !ok {
		st = 2
	}
	return p.call('f', append(u64(id), st))
}

// ProposeConfChange lets raftc encode the conf change (raftc_conf_change[_v2]_encode), so etcd
// nodes decode raftc's ConfChange bytes when they apply the entry.
func (p *raftcPeer) ProposeConfChange(cc CC) (Output, error) {
	b := []byte{0, byte(cc.Transition)}
	if cc.V2 {
		b[0] = 1
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(cc.Changes)))
	for _, c := range cc.Changes {
		b = append(b, byte(c.Type))
		b = binary.LittleEndian.AppendUint64(b, c.ID)
	}
	return p.call('C', b)
}

func (p *raftcPeer) Snapshot(compact uint64, data []byte) error {
	_, err := p.call('n', append(u64(compact), data...))
	return err
}

func (p *raftcPeer) Status() Status { return p.status }

// Describe is raftc's DescribeMessage of raftpb bytes (raftc_message_describe).
func (p *raftcPeer) Describe(b []byte) string {
	out, err := p.call('d', b)
	if err != nil {
		return "<raftc describe failed: " + err.Error() + ">"
	}
	if len(out.Logs) == 0 {
		return "<no text>"
	}
	return out.Logs[len(out.Logs)-1]
}

// Progress is the leader's progress map text (raftc_node_status_progress).
func (p *raftcPeer) Progress() string {
	out, err := p.call('P', nil)
	if err != nil || len(out.Logs) == 0 {
		return fmt.Sprintf("<no progress: %v>", err)
	}
	return out.Logs[len(out.Logs)-1]
}

func (p *raftcPeer) Close() {
	if p.dead == nil {
		_, _ = p.call('z', nil)
		_ = p.in.Close()
		if err := p.cmd.Wait(); err != nil && p.exitErr == nil {
			// e.g. a sanitizer report at exit (leaks)
			p.exitErr = fmt.Errorf("raftc peer %d exited with %v; stderr: %s", p.id, err,
				strings.TrimSpace(p.stderr.String()))
		}
		p.dead = &NodeErr{Msg: "closed"}
	}
}

// ExitErr reports an abnormal exit of the peer process after Close.
func (p *raftcPeer) ExitErr() error { return p.exitErr }
