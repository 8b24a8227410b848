// SPDX-License-Identifier: MIT
//
// The text of the curated kernel events in the shape ftrace prints them
// (TP_printk), used by EventPrinter::text() instead of the generic
// "name=value ...". Driven by the formats: an event is recognised by its
// system and name, its values found by field name; an event that lacks a
// field it needs (an older or newer module) falls back to the generic form.
//
//	sys_enter: NR 257 openat (ffffff9c, 7ffd8e0a1b30, 0, 0, 0, 0)
//	sys_exit: NR 257 openat = 3
//	irq_handler_exit: irq=24 ret=handled
//	softirq_entry: vec=1 [action=TIMER]
//	block_rq_issue: 8,0 WS 4096 () 2048 + 8 [kworker/0:1]
//	block_rq_complete: 8,0 WS () 2048 + 8 [0]
//	net_dev_xmit: dev=lo skbaddr=0xffff888004a1c000 len=98 rc=0
//	netif_receive_skb: dev=lo skbaddr=0xffff888004a1c000 len=84
//	kmalloc: call_site=0xffffffff81234567 ptr=0xffff888004a1c000 bytes_req=100 bytes_alloc=128 gfp_flags=0xcc0 node=-1
//	kfree: call_site=0xffffffff81234567 ptr=0xffff888004a1c000
//	page_fault_user: address=0x7f0c1e2a3000 ip=0x401136 error_code=0x6
//
// Unknown syscall numbers show as the number alone ("NR 9999 (...)").
#ifndef KTR_EVENT_TEXT_H
#define KTR_EVENT_TEXT_H

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ktr/event_format.h"

namespace ktr {

using DecodedFields = std::vector<std::pair<const FieldFormat *, FieldValue>>;

/// The text after "<event>:" (with its leading space) for a curated event,
/// or nullopt: print the generic name=value form.
std::optional<std::string> curated_event_text(const EventFormat &format,
					      const DecodedFields &fields);

/// "syscall" for raw_syscalls events: the name of field "id", or nullopt.
std::optional<std::string> syscall_of(const EventFormat &format, const DecodedFields &fields);

} // namespace ktr

#endif // KTR_EVENT_TEXT_H
