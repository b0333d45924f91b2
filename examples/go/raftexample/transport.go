// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// transport.go: the peer transport of the key-value protocol. POST /raft carries raftpb
// Messages, each preceded by its length as a protobuf varint. One sender goroutine per peer
// with a bounded queue (a full queue drops the batch: raft retries) and a persistent
// connection, so the raft loop never waits on a slow peer. A failed send reports the peer
// unreachable; a MsgSnap's outcome is reported with ReportSnapshot.

package main

import (
	"bytes"
	"net/http"
	"sync"
	"time"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

const (
	queueBatches   = 128
	maxRequestBody = 4 << 20
	maxPeerBody    = 64 << 20
)

type peerSender struct {
	id    uint64
	url   string
	queue chan []*pb.Message
	stopc chan struct{} // stop now
	drain chan struct{} // stop once the queue is empty (a removed peer gets what was queued)
}

type transport struct {
	id     uint64
	n      *kvNode
	client *http.Client
	mu     sync.Mutex
	peers  map[uint64]*peerSender
}

func newTransport(id uint64, peers map[uint64]string, n *kvNode) *transport {
	t := &transport{id: id, n: n, peers: map[uint64]*peerSender{},
		client: &http.Client{Timeout: 5 * time.Second}}
	for pid, url := range peers {
		t.addPeer(pid, url)
	}
	return t
}

func (t *transport) addPeer(id uint64, url string) {
	if id == t.id || url == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if p, ok := t.peers[id]; ok {
		if p.url == url {
			return
		}
		close(p.stopc)
	}
	p := &peerSender{id: id, url: url, queue: make(chan []*pb.Message, queueBatches),
		stopc: make(chan struct{}), drain: make(chan struct{})}
	t.peers[id] = p
	go t.sendLoop(p)
}

func (t *transport) removePeer(id uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p, ok := t.peers[id]; ok {
		close(p.drain)
		delete(t.peers, id)
	}
}

func (t *transport) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, p := range t.peers {
		close(p.stopc)
		delete(t.peers, id)
	}
}

// send queues msgs, one batch per peer; it never blocks.
func (t *transport) send(msgs []*pb.Message) {
	if len(msgs) == 0 {
		return
	}
	byPeer := map[uint64][]*pb.Message{}
	for _, m := range msgs {
		byPeer[m.GetTo()] = append(byPeer[m.GetTo()], m)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for to, batch := range byPeer {
		p, ok := t.peers[to]
		if !ok {
			continue
		}
		select {
		case p.queue <- batch:
		default: // full: dropped, raft retries
		}
	}
}

func (t *transport) sendLoop(p *peerSender) {
	for {
		var batch []*pb.Message
		select {
		case b := <-p.queue:
			batch = b
		case <-p.stopc:
			return
		case <-p.drain:
			select {
			case b := <-p.queue:
				batch = b
			default:
				return
			}
		}
		// Batches queued meanwhile go out together (up to maxRequestBody).
		body := encodeMessages(nil, batch)
	more:
		for len(body) < maxRequestBody {
			select {
			case b := <-p.queue:
				batch = append(batch, b...)
				body = encodeMessages(body, b)
			default:
				break more
			}
		}
		err := t.post(p.url, body)
		if err != nil {
			t.n.node.ReportUnreachable(p.id)
		}
		for _, m := range batch {
			if m.GetType() == pb.MsgSnap {
				st := raft.SnapshotFinish
				if err != nil {
					st = raft.SnapshotFailure
				}
				t.n.node.ReportSnapshot(p.id, st)
			}
		}
	}
}

func (t *transport) post(url string, body []byte) error {
	resp, err := t.client.Post(url+"/raft", "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return &httpError{resp.StatusCode}
	}
	return nil
}

type httpError struct{ code int }

func (e *httpError) Error() string { return http.StatusText(e.code) }

func encodeMessages(b []byte, msgs []*pb.Message) []byte {
	for _, m := range msgs {
		mb, err := proto.Marshal(m)
		if err != nil {
			continue
		}
		b = protowire.AppendVarint(b, uint64(len(mb)))
		b = append(b, mb...)
	}
	return b
}

// decodeMessages parses a whole /raft body; any error refuses all of it.
func decodeMessages(b []byte) ([]*pb.Message, error) {
	var out []*pb.Message
	for len(b) > 0 {
		l, n := protowire.ConsumeVarint(b)
		if n < 0 || uint64(len(b)-n) < l {
			return nil, errMalformed
		}
		m := &pb.Message{}
		if err := proto.Unmarshal(b[n:n+int(l)], m); err != nil {
			return nil, err
		}
		out = append(out, m)
		b = b[n+int(l):]
	}
	return out, nil
}
