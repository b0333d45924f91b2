/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_mirror.c: compile-time proof that every constant raftc.h mirrors from the core has the
 * core's value (errors, message, entry, state, conf change, progress, read-only, vote and log
 * enums, RAFTC_NONE and the local thread ids). The capi casts between the two enum families,
 * so a renumbering on either side breaks the build here instead of the ABI.
 */
#include <stdint.h>

#include "raftc.h"
#include "logger.h"
#include "progress.h"
#include "quorum.h"
#include "raft.h"
#include "types.h"

_Static_assert((long long)RAFTC_OK == (long long)RC_OK, "RAFTC_OK != RC_OK");
_Static_assert((long long)RAFTC_EINVAL == (long long)RC_ERR_INVALID, "RAFTC_EINVAL != RC_ERR_INVALID");
_Static_assert((long long)RAFTC_ENOMEM == (long long)RC_ERR_NOMEM, "RAFTC_ENOMEM != RC_ERR_NOMEM");
_Static_assert((long long)RAFTC_EDECODE == (long long)RC_ERR_DECODE, "RAFTC_EDECODE != RC_ERR_DECODE");
_Static_assert((long long)RAFTC_ETOOLARGE == (long long)RC_ERR_TOO_LARGE, "RAFTC_ETOOLARGE != RC_ERR_TOO_LARGE");
_Static_assert((long long)RAFTC_EPROPOSAL_DROPPED == (long long)RC_ERR_PROPOSAL_DROPPED, "RAFTC_EPROPOSAL_DROPPED != RC_ERR_PROPOSAL_DROPPED");
_Static_assert((long long)RAFTC_ESTEP_LOCAL_MSG == (long long)RC_ERR_STEP_LOCAL_MSG, "RAFTC_ESTEP_LOCAL_MSG != RC_ERR_STEP_LOCAL_MSG");
_Static_assert((long long)RAFTC_ESTEP_PEER_NOT_FOUND == (long long)RC_ERR_STEP_PEER_NOT_FOUND, "RAFTC_ESTEP_PEER_NOT_FOUND != RC_ERR_STEP_PEER_NOT_FOUND");
_Static_assert((long long)RAFTC_ECOMPACTED == (long long)RC_ERR_COMPACTED, "RAFTC_ECOMPACTED != RC_ERR_COMPACTED");
_Static_assert((long long)RAFTC_EUNAVAILABLE == (long long)RC_ERR_UNAVAILABLE, "RAFTC_EUNAVAILABLE != RC_ERR_UNAVAILABLE");
_Static_assert((long long)RAFTC_ESNAP_OUT_OF_DATE == (long long)RC_ERR_SNAP_OUT_OF_DATE, "RAFTC_ESNAP_OUT_OF_DATE != RC_ERR_SNAP_OUT_OF_DATE");
_Static_assert((long long)RAFTC_ESNAP_TEMP_UNAVAILABLE == (long long)RC_ERR_SNAP_TEMP_UNAVAILABLE, "RAFTC_ESNAP_TEMP_UNAVAILABLE != RC_ERR_SNAP_TEMP_UNAVAILABLE");
_Static_assert((long long)RAFTC_ESTORAGE == (long long)RC_ERR_STORAGE, "RAFTC_ESTORAGE != RC_ERR_STORAGE");
_Static_assert((long long)RAFTC_EFAILED == (long long)RC_ERR_FAILED, "RAFTC_EFAILED != RC_ERR_FAILED");
_Static_assert((long long)RAFTC_ESTATE == (long long)RC_ERR_STATE, "RAFTC_ESTATE != RC_ERR_STATE");
_Static_assert((long long)RAFTC_ECONFIG == (long long)RC_ERR_CONFIG, "RAFTC_ECONFIG != RC_ERR_CONFIG");
_Static_assert((long long)RAFTC_ECONFCHANGE == (long long)RC_ERR_CONFCHANGE, "RAFTC_ECONFCHANGE != RC_ERR_CONFCHANGE");
_Static_assert((long long)RAFTC_ENOTFOUND == (long long)RC_ERR_NOT_FOUND, "RAFTC_ENOTFOUND != RC_ERR_NOT_FOUND");
_Static_assert((long long)RAFTC_EUNKNOWN_TYPE == (long long)RC_ERR_UNKNOWN_TYPE, "RAFTC_EUNKNOWN_TYPE != RC_ERR_UNKNOWN_TYPE");
_Static_assert((long long)RAFTC_ECORRUPT == (long long)RC_ERR_CORRUPT, "RAFTC_ECORRUPT != RC_ERR_CORRUPT");
_Static_assert((long long)RAFTC_ELOCKED == (long long)RC_ERR_LOCKED, "RAFTC_ELOCKED != RC_ERR_LOCKED");
_Static_assert((long long)RAFTC_EIO == (long long)RC_ERR_IO, "RAFTC_EIO != RC_ERR_IO");
_Static_assert((long long)RAFTC_EREFUSED == (long long)RC_ERR_REFUSED, "RAFTC_EREFUSED != RC_ERR_REFUSED");
_Static_assert((long long)RAFTC_MSG_HUP == (long long)RC_MSG_HUP, "RAFTC_MSG_HUP != RC_MSG_HUP");
_Static_assert((long long)RAFTC_MSG_BEAT == (long long)RC_MSG_BEAT, "RAFTC_MSG_BEAT != RC_MSG_BEAT");
_Static_assert((long long)RAFTC_MSG_PROP == (long long)RC_MSG_PROP, "RAFTC_MSG_PROP != RC_MSG_PROP");
_Static_assert((long long)RAFTC_MSG_APP == (long long)RC_MSG_APP, "RAFTC_MSG_APP != RC_MSG_APP");
_Static_assert((long long)RAFTC_MSG_APP_RESP == (long long)RC_MSG_APP_RESP, "RAFTC_MSG_APP_RESP != RC_MSG_APP_RESP");
_Static_assert((long long)RAFTC_MSG_VOTE == (long long)RC_MSG_VOTE, "RAFTC_MSG_VOTE != RC_MSG_VOTE");
_Static_assert((long long)RAFTC_MSG_VOTE_RESP == (long long)RC_MSG_VOTE_RESP, "RAFTC_MSG_VOTE_RESP != RC_MSG_VOTE_RESP");
_Static_assert((long long)RAFTC_MSG_SNAP == (long long)RC_MSG_SNAP, "RAFTC_MSG_SNAP != RC_MSG_SNAP");
_Static_assert((long long)RAFTC_MSG_HEARTBEAT == (long long)RC_MSG_HEARTBEAT, "RAFTC_MSG_HEARTBEAT != RC_MSG_HEARTBEAT");
_Static_assert((long long)RAFTC_MSG_HEARTBEAT_RESP == (long long)RC_MSG_HEARTBEAT_RESP, "RAFTC_MSG_HEARTBEAT_RESP != RC_MSG_HEARTBEAT_RESP");
_Static_assert((long long)RAFTC_MSG_UNREACHABLE == (long long)RC_MSG_UNREACHABLE, "RAFTC_MSG_UNREACHABLE != RC_MSG_UNREACHABLE");
_Static_assert((long long)RAFTC_MSG_SNAP_STATUS == (long long)RC_MSG_SNAP_STATUS, "RAFTC_MSG_SNAP_STATUS != RC_MSG_SNAP_STATUS");
_Static_assert((long long)RAFTC_MSG_CHECK_QUORUM == (long long)RC_MSG_CHECK_QUORUM, "RAFTC_MSG_CHECK_QUORUM != RC_MSG_CHECK_QUORUM");
_Static_assert((long long)RAFTC_MSG_TRANSFER_LEADER == (long long)RC_MSG_TRANSFER_LEADER, "RAFTC_MSG_TRANSFER_LEADER != RC_MSG_TRANSFER_LEADER");
_Static_assert((long long)RAFTC_MSG_TIMEOUT_NOW == (long long)RC_MSG_TIMEOUT_NOW, "RAFTC_MSG_TIMEOUT_NOW != RC_MSG_TIMEOUT_NOW");
_Static_assert((long long)RAFTC_MSG_READ_INDEX == (long long)RC_MSG_READ_INDEX, "RAFTC_MSG_READ_INDEX != RC_MSG_READ_INDEX");
_Static_assert((long long)RAFTC_MSG_READ_INDEX_RESP == (long long)RC_MSG_READ_INDEX_RESP, "RAFTC_MSG_READ_INDEX_RESP != RC_MSG_READ_INDEX_RESP");
_Static_assert((long long)RAFTC_MSG_PRE_VOTE == (long long)RC_MSG_PRE_VOTE, "RAFTC_MSG_PRE_VOTE != RC_MSG_PRE_VOTE");
_Static_assert((long long)RAFTC_MSG_PRE_VOTE_RESP == (long long)RC_MSG_PRE_VOTE_RESP, "RAFTC_MSG_PRE_VOTE_RESP != RC_MSG_PRE_VOTE_RESP");
_Static_assert((long long)RAFTC_MSG_STORAGE_APPEND == (long long)RC_MSG_STORAGE_APPEND, "RAFTC_MSG_STORAGE_APPEND != RC_MSG_STORAGE_APPEND");
_Static_assert((long long)RAFTC_MSG_STORAGE_APPEND_RESP == (long long)RC_MSG_STORAGE_APPEND_RESP, "RAFTC_MSG_STORAGE_APPEND_RESP != RC_MSG_STORAGE_APPEND_RESP");
_Static_assert((long long)RAFTC_MSG_STORAGE_APPLY == (long long)RC_MSG_STORAGE_APPLY, "RAFTC_MSG_STORAGE_APPLY != RC_MSG_STORAGE_APPLY");
_Static_assert((long long)RAFTC_MSG_STORAGE_APPLY_RESP == (long long)RC_MSG_STORAGE_APPLY_RESP, "RAFTC_MSG_STORAGE_APPLY_RESP != RC_MSG_STORAGE_APPLY_RESP");
_Static_assert((long long)RAFTC_MSG_FORGET_LEADER == (long long)RC_MSG_FORGET_LEADER, "RAFTC_MSG_FORGET_LEADER != RC_MSG_FORGET_LEADER");
_Static_assert((long long)RAFTC_MSG_FORGET_LEADER + 1 == (long long)RC_MSG_TYPE_COUNT, "RAFTC_MSG_FORGET_LEADER + 1 != RC_MSG_TYPE_COUNT");
_Static_assert((long long)RAFTC_ENTRY_NORMAL == (long long)RC_ENTRY_NORMAL, "RAFTC_ENTRY_NORMAL != RC_ENTRY_NORMAL");
_Static_assert((long long)RAFTC_ENTRY_CONF_CHANGE == (long long)RC_ENTRY_CONF_CHANGE, "RAFTC_ENTRY_CONF_CHANGE != RC_ENTRY_CONF_CHANGE");
_Static_assert((long long)RAFTC_ENTRY_CONF_CHANGE_V2 == (long long)RC_ENTRY_CONF_CHANGE_V2, "RAFTC_ENTRY_CONF_CHANGE_V2 != RC_ENTRY_CONF_CHANGE_V2");
_Static_assert((long long)RAFTC_CC_ADD_NODE == (long long)RC_CC_ADD_NODE, "RAFTC_CC_ADD_NODE != RC_CC_ADD_NODE");
_Static_assert((long long)RAFTC_CC_REMOVE_NODE == (long long)RC_CC_REMOVE_NODE, "RAFTC_CC_REMOVE_NODE != RC_CC_REMOVE_NODE");
_Static_assert((long long)RAFTC_CC_UPDATE_NODE == (long long)RC_CC_UPDATE_NODE, "RAFTC_CC_UPDATE_NODE != RC_CC_UPDATE_NODE");
_Static_assert((long long)RAFTC_CC_ADD_LEARNER_NODE == (long long)RC_CC_ADD_LEARNER_NODE, "RAFTC_CC_ADD_LEARNER_NODE != RC_CC_ADD_LEARNER_NODE");
_Static_assert((long long)RAFTC_CC_TRANSITION_AUTO == (long long)RC_CC_TRANSITION_AUTO, "RAFTC_CC_TRANSITION_AUTO != RC_CC_TRANSITION_AUTO");
_Static_assert((long long)RAFTC_CC_TRANSITION_JOINT_IMPLICIT == (long long)RC_CC_TRANSITION_JOINT_IMPLICIT, "RAFTC_CC_TRANSITION_JOINT_IMPLICIT != RC_CC_TRANSITION_JOINT_IMPLICIT");
_Static_assert((long long)RAFTC_CC_TRANSITION_JOINT_EXPLICIT == (long long)RC_CC_TRANSITION_JOINT_EXPLICIT, "RAFTC_CC_TRANSITION_JOINT_EXPLICIT != RC_CC_TRANSITION_JOINT_EXPLICIT");
_Static_assert((long long)RAFTC_STATE_FOLLOWER == (long long)RC_STATE_FOLLOWER, "RAFTC_STATE_FOLLOWER != RC_STATE_FOLLOWER");
_Static_assert((long long)RAFTC_STATE_CANDIDATE == (long long)RC_STATE_CANDIDATE, "RAFTC_STATE_CANDIDATE != RC_STATE_CANDIDATE");
_Static_assert((long long)RAFTC_STATE_LEADER == (long long)RC_STATE_LEADER, "RAFTC_STATE_LEADER != RC_STATE_LEADER");
_Static_assert((long long)RAFTC_STATE_PRE_CANDIDATE == (long long)RC_STATE_PRE_CANDIDATE, "RAFTC_STATE_PRE_CANDIDATE != RC_STATE_PRE_CANDIDATE");
_Static_assert((long long)RAFTC_PROGRESS_PROBE == (long long)RC_PROGRESS_PROBE, "RAFTC_PROGRESS_PROBE != RC_PROGRESS_PROBE");
_Static_assert((long long)RAFTC_PROGRESS_REPLICATE == (long long)RC_PROGRESS_REPLICATE, "RAFTC_PROGRESS_REPLICATE != RC_PROGRESS_REPLICATE");
_Static_assert((long long)RAFTC_PROGRESS_SNAPSHOT == (long long)RC_PROGRESS_SNAPSHOT, "RAFTC_PROGRESS_SNAPSHOT != RC_PROGRESS_SNAPSHOT");
_Static_assert((long long)RAFTC_READ_ONLY_SAFE == (long long)RC_READ_ONLY_SAFE, "RAFTC_READ_ONLY_SAFE != RC_READ_ONLY_SAFE");
_Static_assert((long long)RAFTC_READ_ONLY_LEASE_BASED == (long long)RC_READ_ONLY_LEASE_BASED, "RAFTC_READ_ONLY_LEASE_BASED != RC_READ_ONLY_LEASE_BASED");
_Static_assert((long long)RAFTC_VOTE_PENDING == (long long)RC_VOTE_PENDING, "RAFTC_VOTE_PENDING != RC_VOTE_PENDING");
_Static_assert((long long)RAFTC_VOTE_LOST == (long long)RC_VOTE_LOST, "RAFTC_VOTE_LOST != RC_VOTE_LOST");
_Static_assert((long long)RAFTC_VOTE_WON == (long long)RC_VOTE_WON, "RAFTC_VOTE_WON != RC_VOTE_WON");
_Static_assert((long long)RAFTC_LOG_DEBUG == (long long)RC_LOG_DEBUG, "RAFTC_LOG_DEBUG != RC_LOG_DEBUG");
_Static_assert((long long)RAFTC_LOG_INFO == (long long)RC_LOG_INFO, "RAFTC_LOG_INFO != RC_LOG_INFO");
_Static_assert((long long)RAFTC_LOG_WARN == (long long)RC_LOG_WARN, "RAFTC_LOG_WARN != RC_LOG_WARN");
_Static_assert((long long)RAFTC_LOG_ERROR == (long long)RC_LOG_ERROR, "RAFTC_LOG_ERROR != RC_LOG_ERROR");
_Static_assert((long long)RAFTC_LOG_FATAL == (long long)RC_LOG_FATAL, "RAFTC_LOG_FATAL != RC_LOG_FATAL");
_Static_assert((long long)RAFTC_LOG_PANIC == (long long)RC_LOG_PANIC, "RAFTC_LOG_PANIC != RC_LOG_PANIC");
_Static_assert((uint64_t)RAFTC_NONE == (uint64_t)RC_NONE, "RAFTC_NONE != RC_NONE");
_Static_assert((uint64_t)RAFTC_LOCAL_APPEND_THREAD == (uint64_t)RC_LOCAL_APPEND_THREAD, "RAFTC_LOCAL_APPEND_THREAD != RC_LOCAL_APPEND_THREAD");
_Static_assert((uint64_t)RAFTC_LOCAL_APPLY_THREAD == (uint64_t)RC_LOCAL_APPLY_THREAD, "RAFTC_LOCAL_APPLY_THREAD != RC_LOCAL_APPLY_THREAD");

/* ISO C forbids an empty translation unit. */
typedef int capi_mirror_checked;
