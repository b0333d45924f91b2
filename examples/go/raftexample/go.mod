module raftc.example/raftexample

go 1.26

require (
	github.com/raftc/raftc/go v0.0.0
	go.etcd.io/raft/v3 v3.7.0
	google.golang.org/protobuf v1.36.11
)

// The Go binding from this repository.
replace github.com/raftc/raftc/go => ../../../go
