// SPDX-License-Identifier: MIT
//
// The replies of ABI minor 4 (stats, start/stop/reset, buffer, marker),
// built on the host as the kernel sends them, and the pure helpers of
// `ktr buffer` and `ktr stat`.
#include <cerrno>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <ktr.h>
#include <ktr_ringbuf.h>

#include "ktr/buffer_geometry.h"
#include "ktr/tracing.h"
#include "nl_handles.h"
#include "test_messages.h"

namespace ktr {
namespace {

nl::MsgPtr message(std::uint8_t cmd, const std::function<void(nl_msg *)> &fill)
{
	nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg || !genlmsg_put(msg.get(), 0, 1, test::test_family_id, 0, 0, cmd,
				 KTR_GENL_VERSION))
		throw std::runtime_error("genlmsg_put failed");
	fill(msg.get());
	return msg;
}

// A GET_STATS message for CPU 3 whose counter of type t is 100 + t; @skip
// leaves one counter out, @bad makes it 4 bytes.
nl::MsgPtr stats_message(int skip = -1, int bad = -1, bool with_nest = true)
{
	return message(KTR_CMD_GET_STATS, [&](nl_msg *m) {
		nla_put_u32(m, KTR_ATTR_CPU, 3);
		nla_put_u8(m, KTR_ATTR_CPU_ONLINE, 1);
		if (!with_nest)
			return;
		nlattr *nest = nla_nest_start(m, KTR_ATTR_STATS);
		for (int t = KTR_STATS_WRITTEN; t <= KTR_STATS_MAX; t++) {
			if (t == skip)
				continue;
			if (t == bad)
				nla_put_u32(m, t, 1);
			else
				nla_put_u64(m, t, 100u + static_cast<unsigned>(t));
		}
		nla_put_u64(m, KTR_STATS_MAX + 5, 7);	// a newer minor's counter
		nla_nest_end(m, nest);
	});
}

TEST(StatsMessage, ParsesEveryCounter)
{
	const nl::MsgPtr msg = stats_message();
	const Result<CpuStats> s = parse_stats_message(msg.get());
	ASSERT_TRUE(s) << s.error().message();
	EXPECT_EQ(s->cpu, 3u);
	EXPECT_TRUE(s->online);
	EXPECT_EQ(s->written, 100u + KTR_STATS_WRITTEN);
	EXPECT_EQ(s->bytes, 100u + KTR_STATS_BYTES);
	EXPECT_EQ(s->read, 100u + KTR_STATS_READ);
	EXPECT_EQ(s->buffered, 100u + KTR_STATS_BUFFERED);
	EXPECT_EQ(s->lost_full, 100u + KTR_STATS_LOST_FULL);
	EXPECT_EQ(s->lost_overwritten, 100u + KTR_STATS_LOST_OVERWRITTEN);
	EXPECT_EQ(s->lost_nesting, 100u + KTR_STATS_LOST_NESTING);
	EXPECT_EQ(s->lost_disabled, 100u + KTR_STATS_LOST_DISABLED);
	EXPECT_EQ(s->discarded, 100u + KTR_STATS_DISCARDED);
	EXPECT_EQ(s->subbufs_written, 100u + KTR_STATS_SUBBUFS_WRITTEN);
	EXPECT_EQ(s->subbufs_read, 100u + KTR_STATS_SUBBUFS_READ);
	EXPECT_EQ(s->subbufs_overwritten, 100u + KTR_STATS_SUBBUFS_OVERWRITTEN);
}

TEST(StatsMessage, NamesWhatIsMissingOrMalformed)
{
	const struct {
		nl::MsgPtr msg;
		std::string needle;
	} cases[] = {
		{stats_message(KTR_STATS_LOST_NESTING), "KTR_STATS_LOST_NESTING missing"},
		{stats_message(-1, KTR_STATS_READ), "KTR_STATS_READ is 4 bytes, expected an 8-byte u64"},
		{stats_message(-1, -1, false), "KTR_ATTR_STATS missing"},
		{message(KTR_CMD_GET_STATS, [](nl_msg *m) { nla_put_u8(m, KTR_ATTR_CPU_ONLINE, 1); }),
		 "KTR_ATTR_CPU missing"},
		{message(KTR_CMD_GET_STATS,
			 [](nl_msg *m) {
				 nla_put_u32(m, KTR_ATTR_CPU, 0);
				 nla_put_u8(m, KTR_ATTR_CPU_ONLINE, 2);
			 }),
		 "KTR_ATTR_CPU_ONLINE is 2"},
		{message(KTR_CMD_GET_INFO, [](nl_msg *) {}), "unexpected command"},
	};
	for (const auto &c : cases) {
		const Result<CpuStats> s = parse_stats_message(c.msg.get());
		ASSERT_FALSE(s) << c.needle;
		EXPECT_EQ(s.error().errnum(), EPROTO);
		EXPECT_NE(s.error().message().find(c.needle), std::string::npos)
			<< s.error().message();
	}
}

TEST(TracingReplies, OnOffBufferAndMarker)
{
	const nl::MsgPtr stop = message(KTR_CMD_STOP, [](nl_msg *m) {
		nla_put_u8(m, KTR_ATTR_TRACING_ON, 0);
	});
	const Result<bool> off = parse_tracing_on_reply(stop.get(), KTR_CMD_STOP, "KTR_CMD_STOP");
	ASSERT_TRUE(off);
	EXPECT_FALSE(*off);
	EXPECT_FALSE(parse_tracing_on_reply(stop.get(), KTR_CMD_START, "KTR_CMD_START"));
	const nl::MsgPtr empty = message(KTR_CMD_RESET, [](nl_msg *) {});
	const Result<bool> none = parse_tracing_on_reply(empty.get(), KTR_CMD_RESET, "KTR_CMD_RESET");
	ASSERT_FALSE(none);
	EXPECT_NE(none.error().message().find("KTR_ATTR_TRACING_ON missing"), std::string::npos);

	const nl::MsgPtr buf = message(KTR_CMD_SET_BUFFER, [](nl_msg *m) {
		nlattr *nest = nla_nest_start(m, KTR_ATTR_BUFFER);
		nla_put_u32(m, KTR_BUFFER_SUBBUF_SIZE, 8192);
		nla_put_u32(m, KTR_BUFFER_NR_SUBBUFS, 16);
		nla_put_u32(m, KTR_BUFFER_MODE, KTR_RB_MODE_OVERWRITE);
		nla_nest_end(m, nest);
	});
	const Result<BufferConfig> c = parse_buffer_reply(buf.get());
	ASSERT_TRUE(c) << c.error().message();
	EXPECT_EQ(*c, (BufferConfig{8192, 16, KTR_RB_MODE_OVERWRITE}));
	const nl::MsgPtr partial = message(KTR_CMD_SET_BUFFER, [](nl_msg *m) {
		nlattr *nest = nla_nest_start(m, KTR_ATTR_BUFFER);
		nla_put_u32(m, KTR_BUFFER_SUBBUF_SIZE, 8192);
		nla_nest_end(m, nest);
	});
	const Result<BufferConfig> p = parse_buffer_reply(partial.get());
	ASSERT_FALSE(p);
	EXPECT_NE(p.error().message().find("KTR_BUFFER_NR_SUBBUFS missing"), std::string::npos);

	const nl::MsgPtr marker = message(KTR_CMD_WRITE_MARKER, [](nl_msg *m) {
		nla_put_u32(m, KTR_ATTR_CPU, 1);
	});
	const Result<std::uint32_t> cpu = parse_marker_reply(marker.get());
	ASSERT_TRUE(cpu);
	EXPECT_EQ(*cpu, 1u);
}

TEST(ParseSize, SuffixesAndErrors)
{
	EXPECT_EQ(*parse_size("4096", "x"), 4096u);
	EXPECT_EQ(*parse_size("64K", "x"), 65536u);
	EXPECT_EQ(*parse_size("64k", "x"), 65536u);
	EXPECT_EQ(*parse_size("1M", "x"), 1u << 20);
	EXPECT_EQ(*parse_size("2MiB", "x"), 2u << 20);
	EXPECT_EQ(*parse_size("1G", "x"), 1u << 30);
	for (const char *bad : {"", "K", "-1", "1.5M", "12Q", " 1", "1 K", "0x10"}) {
		const Result<std::uint32_t> r = parse_size(bad, "--subbuf-size");
		ASSERT_FALSE(r) << bad;
		EXPECT_EQ(r.error().errnum(), EINVAL) << bad;
		EXPECT_NE(r.error().message().find("--subbuf-size"), std::string::npos);
	}
	EXPECT_EQ(parse_size("0", "x").error().errnum(), EINVAL);
	EXPECT_EQ(parse_size("4G", "x").error().errnum(), ERANGE);
	EXPECT_EQ(parse_size("99999999999999999999999", "x").error().errnum(), ERANGE);
}

BufferRequest rq(std::optional<std::uint32_t> size, std::optional<std::uint32_t> nr,
		 std::optional<std::uint32_t> mode)
{
	BufferRequest r;
	r.subbuf_size = size;
	r.nr_subbufs = nr;
	r.mode = mode;
	return r;
}

constexpr std::nullopt_t none = std::nullopt;

TEST(BufferRequest, ChecksAsTheModuleDoes)
{
	const BufferConfig cur{65536, 8, KTR_RB_MODE_DISCARD};
	EXPECT_TRUE(check_buffer_request(rq(4096, none, none), cur));
	EXPECT_TRUE(check_buffer_request(rq(none, 4096, 1), {4096, 2, 0}));
	const std::vector<BufferRequest> bad = {
		rq(3000, none, none),
		rq(2048, none, none),
		rq(8u << 20, none, none),
		rq(none, 3, none),
		rq(none, 1, none),
		rq(none, 8192, none),
		rq(4u << 20, 64, none),	// 260 MiB per CPU
		rq(none, none, 2),
	};
	for (const BufferRequest &r : bad) {
		const Result<void> ok = check_buffer_request(r, cur);
		ASSERT_FALSE(ok);
		EXPECT_EQ(ok.error().errnum(), EINVAL);
	}
	EXPECT_EQ(*parse_nr_subbufs("16"), 16u);
	for (const char *t : {"0", "1", "3", "8192", "x", "-2"})
		EXPECT_FALSE(parse_nr_subbufs(t)) << t;
}

// The words come from the module's own rule (ktr_rb_check_geometry, host
// build): each reason it can give is worded with the uapi limits.
TEST(BufferGeometry, EachReasonOfTheModulesRuleIsWorded)
{
	EXPECT_TRUE(check_geometry(KTR_SUBBUF_SIZE_MIN, KTR_NR_SUBBUFS_MIN, KTR_RB_MODE_DISCARD));
	EXPECT_TRUE(check_geometry(KTR_SUBBUF_SIZE_MAX, 32, KTR_RB_MODE_OVERWRITE));
	const std::vector<std::pair<Result<void>, std::string>> cases = {
		{check_geometry(KTR_SUBBUF_SIZE_MIN * 3, 4, 0),
		 "sub-buffer size 12288 must be a power of two from 4 KiB to 4 MiB, at least a page"},
		{check_geometry(4096, KTR_NR_SUBBUFS_MAX * 2, 0),
		 "sub-buffer count 8192 must be a power of two from 2 to 4096"},
		{check_geometry(4096, 4, 7), "unknown buffer mode 7"},
		{check_geometry(KTR_SUBBUF_SIZE_MAX, 64, 0),
		 "sub-buffer size x (count + 1) = 260 MiB exceeds 256 MiB per CPU"},
		{check_subbuf_size(KTR_SUBBUF_SIZE_MIN / 2, 4096),
		 "sub-buffer size 2048 must be a power of two from 4 KiB to 4 MiB, at least a page"},
		// Written on a 64 KiB-page kernel: 16 KiB sub-buffers cannot exist there.
		{check_subbuf_size(16384, 65536),
		 "sub-buffer size 16384 must be a power of two from 4 KiB to 4 MiB, at least a page"},
		{check_nr_subbufs(1), "sub-buffer count 1 must be a power of two from 2 to 4096"},
	};
	for (const auto &[r, words] : cases) {
		ASSERT_FALSE(r) << words;
		EXPECT_EQ(r.error().errnum(), EINVAL);
		EXPECT_EQ(r.error().message(), words);
	}
	// Size and count alone are not bounded by the per-CPU total.
	EXPECT_TRUE(check_subbuf_size(KTR_SUBBUF_SIZE_MAX, 4096));
	EXPECT_TRUE(check_subbuf_size(65536, 65536));
	EXPECT_TRUE(check_nr_subbufs(KTR_NR_SUBBUFS_MAX));
}

TEST(BufferRequest, SizePerCpuBecomesACount)
{
	EXPECT_EQ(*nr_subbufs_for(1u << 20, 65536), 16u);
	EXPECT_EQ(*nr_subbufs_for(8192, 4096), 2u);
	const Result<std::uint32_t> odd = nr_subbufs_for(3u << 16, 65536);
	ASSERT_FALSE(odd);
	EXPECT_NE(odd.error().message().find("try 131072 or 262144"), std::string::npos)
		<< odd.error().message();
	EXPECT_FALSE(nr_subbufs_for(4096, 4096));	// one sub-buffer
	EXPECT_FALSE(nr_subbufs_for(100000, 4096));
}

TEST(StatsFormat, TableWithTotalAndJson)
{
	CpuStats a;
	a.cpu = 0;
	a.online = true;
	a.written = 1500;
	a.read = 1000;
	a.buffered = 400;
	a.lost_disabled = 100;
	CpuStats b;
	b.cpu = 1;
	b.written = 7;
	b.buffered = 7;
	const std::string text = format_stats_text({a, b});
	EXPECT_NE(text.find("CPU"), std::string::npos);
	EXPECT_NE(text.find("1 (offline)"), std::string::npos) << text;
	EXPECT_NE(text.find("1,507"), std::string::npos) << text;	// total written
	EXPECT_NE(text.find("total"), std::string::npos);
	const CpuStats t = stats_total({a, b});
	EXPECT_EQ(t.written, 1507u);
	EXPECT_EQ(t.buffered, 407u);
	EXPECT_EQ(t.lost(), 100u);
	const std::string json = format_stats_json({a, b});
	EXPECT_NE(json.find(R"({"cpu":1,"online":false,"written":7,)"), std::string::npos) << json;
	EXPECT_NE(json.find(R"("total":{"written":1507,)"), std::string::npos) << json;
}

} // namespace
} // namespace ktr
