// Package application is the application lifecycle of hrss, once for every
// business family: drafts, their materials, submission with its immutable
// snapshot, withdrawal, and the timeline. A family function plugs in only
// what is specific to its businesses (Plugin: extra prefill and the business
// rules checked at submit; the next issue adds the effect of an approved
// decision). The HTTP edge of a family is package familyapi; 用户中心 is
// functions/applications.
//
// # Lifecycle
//
//	draft ──submit──▶ submitted ──claim──▶ in_review ──▶ approved ──▶ completed
//	  ▲                  │                     ├──▶ returned ──edit + submit──▶ submitted (next round)
//	  └── 30-day TTL      └──withdraw           └──▶ rejected
//
// A draft (and a returned application being edited) is mutable under an
// optimistic version. A submit freezes round n as an immutable snapshot
// (fields, material digests and sizes, the ticked ledger rows with their
// amounts and interest computed at submit, catalog and reference-data
// versions); a returned application submitted again becomes round n+1 and
// every earlier round is kept.
//
// # Access patterns
//
// Written down before the keys; every key below serves one of them.
//
//  1. One application with everything it owns (draft, uploads, snapshots,
//     idempotency records): one Query of its partition. Ownership is checked
//     on the item read, so a read is the session plus one query.
//
//  2. My applications, newest first, drafts apart (用户中心): GSI1 on the
//     owning party — the account of an individual, the unit of an agent
//     linked to one (so that every agent of a unit sees the unit's).
//
//  3. An application by its reference number (a receipt, a phone call):
//     Get of the reference item, which also keeps references unique.
//
//  4. Submits whose review execution may not have started (a crash between
//     the write and the start): one partition, swept oldest first.
//
//  5. A party's upload quota: Get of one counter item, changed with the
//     upload in one transaction.
//
//  6. A pooling area's review queue, by due time (审核): GSI2, on the
//     applications waiting for a decision (submitted or in review) only.
//
//  7. The drafts that expire on a day (the reminders: drafts about to
//     expire, drafts of a windowed business near the window's end): GSI2,
//     on drafts only, by the Asia/Shanghai day of their TTL.
//
// # Keys
//
//	item         PK                    SK                  GSI1PK / GSI1SK
//	application  APP#<id>              APP                 APP#PARTY#<party> / D#<updated>#<id> (draft) or S#<submitted>#<id>
//	                                                       GSI2 while waiting: APP#QUEUE#<统筹区> / <due>#<id>
//	                                                       GSI2 while a draft: APP#DRAFTEXP#<YYYYMMDD> / <expires>#<id>
//	snapshot     APP#<id>              SNAP#<round 3d>     –
//	upload       APP#<id>              UPLOAD#<uploadId>   –
//	idempotency  APP#<id>              IDEM#<sha256 hex>   –
//	reference    APPREF#<reference>    REF                 –
//	unstarted    APP#UNSTARTED         <submitted>#<id>#<round>
//	untold       APP#UNTOLD            <decided>#<id>#<round>  (a decision its execution has not yet been told: the task token and output)
//	quota        APP#QUOTA#<party>     QUOTA               –
//	rating       APP#<id>              RATING              GSI2 APP#RATING#<统筹区> / <rated>#<id> (好差评, rating.go)
//
// <party> is A.<account id> for an individual or an agent without a linked
// unit, U.<单位编号> for an agent of a linked unit. Ids are random (they are
// in URLs; guessing one gives nothing, as every read checks ownership).
// Drafts carry a TTL of 30 days after their last change; submitted items
// none. Blob keys: pending/<id>/<uploadId> until the file is accepted,
// then materials/<id>/<uploadId> (the bucket expires pending/ after 30 days).
//
// # Invariants
//
//   - Nobody reads or changes an application that is not theirs: the owning
//     account, or for an agent the owning unit; anything else is 404, the
//     same answer as an id that does not exist.
//   - A snapshot is written once (IfAbsent) and never changed.
//   - One idempotency key makes at most one submission; the same key
//     returns the same answer.
//   - Money in snapshots is integer fen as decimal strings ("243.80").
package application
