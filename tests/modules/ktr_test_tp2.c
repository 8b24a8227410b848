// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_test_tp2.c - a second module with tracepoint ktr_test_raw (the same
 * source as ktr_test_tp.c, another module name), for the raw attach test
 * of an event whose module goes while another one provides its tracepoint
 * (tests/vm/security-findings.sh). Never part of ktr.ko.
 *
 * /sys/module/ktr_test_tp2/parameters/fire fires this module's copy.
 */
#include "ktr_test_tp.c"
