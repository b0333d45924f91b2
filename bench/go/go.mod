module raftc.bench/etcdbench

go 1.23

require go.etcd.io/raft/v3 v3.7.0
