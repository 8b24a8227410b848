# ktr - the one entry point. `make help` lists the targets.
#
#   make                 build ktr.ko for KERNEL and the user-space tools
#   make deps            install the Debian packages ktr needs, unpack kernel trees into ~/.cache/ktr
#   make check           deps + build + host unit tests + VM tests on KERNELS
#   make demo            deps + ktr.ko + ktr/ktr-read (no unit tests) + boot a VM and show ktr at work
#   make kmod KERNEL=6.12   build ktr.ko for one kernel (6.1, 6.12, debug, a release)
#   make KDIR=/path kmod    build against an explicit kernel build tree
#   make unit            host unit tests only
#   make vm-check        VM tests only (on KERNELS)
#   make debug-kernel    build (or find in the cache) the debug kernel
#   make style           checkpatch.pl over the kernel code
#   make bench           benchmarks (tables on stdout, JSON under build/bench/)
#   make soak            a 10-minute soak on the debug kernel (SOAK_MIN=2 SOAK_KERNEL=6.1)
#   make clean

KERNEL ?= $(if $(KVER),$(KVER),6.1)
KERNELS ?= 6.1 6.12 debug
BUILD_TYPE ?= RelWithDebInfo
USER_BUILD := build/user
CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(if $(CI),-DKTR_WERROR=ON)
JOBS ?= $(shell nproc)
MAKEFLAGS += --no-print-directory

.PHONY: all deps kmod user demo-tools unit vm-check check demo debug-kernel style soak clean help

all: kmod user

help:
	@sed -n '3,16p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@scripts/deps

kmod:
	@scripts/build-kmod $(KERNEL) >/dev/null

$(USER_BUILD)/CMakeCache.txt:
	@cmake -S . -B $(USER_BUILD) $(CMAKE_FLAGS) >/dev/null

user: $(USER_BUILD)/CMakeCache.txt
	@cmake --build $(USER_BUILD) -j$(JOBS)

# What the demo runs in the guest: the two tools only (no unit tests, no test helpers).
demo-tools: $(USER_BUILD)/CMakeCache.txt
	@cmake --build $(USER_BUILD) -j$(JOBS) --target ktr ktr-read

unit: user
	@ctest --test-dir $(USER_BUILD) --output-on-failure -j$(JOBS)

debug-kernel:
	@scripts/build-debug-kernel

style:
	@scripts/style

vm-check: user
	@KERNELS="$(KERNELS)" scripts/check --vm-only

check: deps
	@KERNELS="$(KERNELS)" CMAKE_FLAGS="$(CMAKE_FLAGS)" scripts/check

demo: deps kmod demo-tools
	@vm/run --kernel $(KERNEL) scripts/demo.sh

# The soak (never part of make check): scripts/soak, knobs SOAK_MIN SOAK_KERNEL
# SOAK_EPOCH SOAK_READER SOAK_SMP.
SOAK_MIN ?= 10
SOAK_KERNEL ?= debug
soak: deps
	@SOAK_MIN="$(SOAK_MIN)" SOAK_KERNEL="$(SOAK_KERNEL)" scripts/soak

clean:
	rm -rf build

# Benchmarks (never part of make check): tables on stdout, JSON under build/bench/.
#   make bench            every benchmark (bench-ringbuf, bench-read, bench-events, bench-kprobe,
#                         bench-tracers)
#   make bench-ringbuf    ktr's ring buffer against ftrace's in one VM per vCPU count;
#                         knobs: SMP="2 4" ROUNDS=3 CONFIGS="off pages" (scripts/bench-ringbuf)
#   make bench-read       events/s ktr-read consumes with zero loss against trace-cmd, same VM;
#                         knobs: RATES="20000 ... 400000" SECONDS_PER_RUN=3 SMP=2 (scripts/bench-read)
#   make bench-events     ns added per syscall (sys_enter+sys_exit) and per context switch
#                         (sched_switch): ktr vs ftrace vs not loaded vs loaded-idle, same VM;
#                         knobs: ROUNDS=8 REPS=10 SMP=2 CONFIGS="off loaded ktr ftrace floor" (scripts/bench-events)
#   make bench-kprobe     ns added per getppid() by a kprobe with 2 fetch args on its implementation,
#                         ktr vs ftrace's kprobe_events (same definition), at entry (ftrace-based) and
#                         mid-function (int3/optimized), same VM; knobs: ROUNDS=8 REPS=10 SMP=2
#                         CONFIGS="off ktr-entry ftrace-entry ktr-mid ftrace-mid" MID_OFFSET= (scripts/bench-kprobe)
#   make bench-tracers    ns added by ktr's tracers: function (filtered to getppid's implementation)
#                         vs ftrace's function tracer with the same filter, wakeup on a pipe
#                         ping-pong and profile at 99 Hz vs not loaded, same VM; knobs: ROUNDS=8
#                         REPS=10 SMP=2 FREQ=99 SYMBOL= CONFIGS="off ktr-function ftrace-function
#                         ktr-wakeup ktr-profile" (scripts/bench-tracers)
.PHONY: bench bench-ringbuf bench-read bench-events bench-kprobe bench-tracers

bench: bench-ringbuf bench-read bench-events bench-kprobe bench-tracers

bench-ringbuf: deps
	@KERNEL=$(KERNEL) scripts/bench-ringbuf

bench-read: deps
	@KERNEL=$(KERNEL) scripts/bench-read

bench-events: deps
	@KERNEL=$(KERNEL) scripts/bench-events

bench-kprobe: deps
	@KERNEL=$(KERNEL) scripts/bench-kprobe

bench-tracers: deps
	@KERNEL=$(KERNEL) scripts/bench-tracers
