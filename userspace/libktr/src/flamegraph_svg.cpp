// SPDX-License-Identifier: MIT
#include "ktr/flamegraph_svg.h"

#include <cstdint>
#include <cstdio>
#include <map>
#include <vector>

namespace ktr {

namespace {

// Layout, in pixels.
constexpr double margin_x = 10;
constexpr double top_margin = 60;	// title, subtitle, Reset Zoom, Search
constexpr double bottom_margin = 30;	// the details line
constexpr double font_size = 12;
constexpr double char_width = 7;	// of font_size in a sans-serif font, about

struct Node {
	std::string name;
	std::uint64_t count = 0;
	unsigned depth = 0;
	std::map<std::string, std::size_t> children;	// by name: index in the tree
};

std::vector<Node> build_tree(const FoldedStacks &stacks, unsigned &max_depth)
{
	std::vector<Node> tree(1);
	tree[0].name = "all";
	tree[0].count = stacks.total();
	max_depth = 0;
	for (const auto &[stack, count] : stacks.stacks()) {
		std::size_t at = 0;
		std::size_t pos = 0;
		while (pos <= stack.size()) {
			std::size_t end = stack.find(';', pos);
			if (end == std::string::npos)
				end = stack.size();
			std::string name = stack.substr(pos, end - pos);
			auto it = tree[at].children.find(name);
			std::size_t child;
			if (it == tree[at].children.end()) {
				child = tree.size();
				tree[at].children.emplace(name, child);
				Node n;
				n.name = std::move(name);
				n.depth = tree[at].depth + 1;
				tree.push_back(std::move(n));
			} else {
				child = it->second;
			}
			tree[child].count += count;
			if (tree[child].depth > max_depth)
				max_depth = tree[child].depth;
			at = child;
			pos = end + 1;
		}
	}
	return tree;
}

std::string fmt(double v)
{
	char buf[32];
	std::snprintf(buf, sizeof(buf), "%.2f", v);
	return buf;
}

std::string percent(std::uint64_t n, std::uint64_t total)
{
	char buf[32];
	std::snprintf(buf, sizeof(buf), "%.2f%%",
		      total ? 100.0 * static_cast<double>(n) / static_cast<double>(total) : 0.0);
	return buf;
}

// What fits in a frame @w pixels wide (the script does the same on zoom).
std::string fit_label(const std::string &name, double w)
{
	const double chars = (w - 6) / char_width;
	if (chars < 3)
		return "";
	const auto n = static_cast<std::size_t>(chars);
	if (name.size() <= n)
		return name;
	return name.substr(0, n - 2) + "..";
}

// The script: zoom, search, details. In CDATA, so it may use < and &.
constexpr const char *script = R"JS(
var svg = document.documentElement, details, matchedtxt, searching = null;
var xpad = MARGIN, fullw = WIDTH, charw = CHARW;
function frames() { return document.getElementsByClassName("f"); }
function rectof(g) { return g.getElementsByTagName("rect")[0]; }
function nameof(g) {
	var t = g.getElementsByTagName("title")[0].textContent;
	return t.replace(/ \([0-9]+ samples?, [0-9.]+%\)$/, "");
}
function label(g, w) {
	var name = nameof(g), n = Math.floor((w - 6) / charw);
	var t = g.getElementsByTagName("text")[0];
	if (n < 3) { t.textContent = ""; return; }
	t.textContent = name.length <= n ? name : name.substring(0, n - 2) + "..";
}
function place(g, x, w) {
	var r = rectof(g), t = g.getElementsByTagName("text")[0];
	r.setAttribute("x", x);
	r.setAttribute("width", w);
	t.setAttribute("x", x + 3);
	label(g, w);
}
function zoom(g) {
	var r = rectof(g);
	var zx = parseFloat(r.getAttribute("data-x")), zw = parseFloat(r.getAttribute("data-w"));
	var zy = parseFloat(r.getAttribute("y")), ratio = fullw / zw, fs = frames();
	for (var i = 0; i < fs.length; i++) {
		var f = fs[i], fr = rectof(f);
		var x = parseFloat(fr.getAttribute("data-x")), w = parseFloat(fr.getAttribute("data-w"));
		var y = parseFloat(fr.getAttribute("y"));
		f.style.display = "";
		f.style.opacity = "";
		if (y > zy && x <= zx + 0.0001 && x + w >= zx + zw - 0.0001) {
			f.style.opacity = "0.5";
			place(f, xpad, fullw);
		} else if (y <= zy && x >= zx - 0.0001 && x + w <= zx + zw + 0.0001) {
			place(f, xpad + (x - zx) * ratio, w * ratio);
		} else {
			f.style.display = "none";
		}
	}
	document.getElementById("unzoom").style.opacity = zw < fullw - 0.0001 ? "1" : "0";
}
function unzoom() { zoom(frames()[0]); }
function search(re) {
	var fs = frames(), total = parseFloat(rectof(fs[0]).getAttribute("data-n"));
	var hits = [];
	for (var i = 0; i < fs.length; i++) {
		var f = fs[i], r = rectof(f);
		if (!r.hasAttribute("data-fill"))
			r.setAttribute("data-fill", r.getAttribute("fill"));
		r.setAttribute("fill", r.getAttribute("data-fill"));
		if (re && re.test(nameof(f))) {
			r.setAttribute("fill", "rgb(230,0,230)");
			hits.push([parseFloat(r.getAttribute("data-x")),
				   parseFloat(r.getAttribute("data-w")),
				   parseFloat(r.getAttribute("data-n"))]);
		}
	}
	// Count each sample once: a match inside a matched frame adds nothing.
	hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
	var n = 0, end = -1;
	for (var j = 0; j < hits.length; j++) {
		if (hits[j][0] + hits[j][1] <= end + 0.0001)
			continue;
		n += hits[j][2];
		end = hits[j][0] + hits[j][1];
	}
	matchedtxt.textContent = re ? "Matched: " + (100 * n / total).toFixed(2) + "%" : "";
	document.getElementById("search").textContent = re ? "Reset Search" : "Search";
}
function asksearch() {
	if (searching !== null) { searching = null; search(null); return; }
	var term = prompt("Search for (regular expression):", "");
	if (!term) return;
	try { searching = new RegExp(term); } catch (e) { alert("Bad expression: " + e); return; }
	search(searching);
}
window.addEventListener("load", function () {
	details = document.getElementById("details");
	matchedtxt = document.getElementById("matched");
	document.getElementById("unzoom").addEventListener("click", unzoom);
	document.getElementById("search").addEventListener("click", asksearch);
	var fs = frames();
	for (var i = 0; i < fs.length; i++) {
		fs[i].addEventListener("click", function (e) { zoom(e.currentTarget); });
		fs[i].addEventListener("mouseover", function (e) {
			details.textContent = e.currentTarget.getElementsByTagName("title")[0].textContent;
		});
		fs[i].addEventListener("mouseout", function () { details.textContent = " "; });
	}
});
window.addEventListener("keydown", function (e) {
	if ((e.ctrlKey || e.metaKey) && e.key === "f") { e.preventDefault(); asksearch(); }
});
)JS";

std::string replace_all(std::string s, std::string_view what, const std::string &with)
{
	for (std::size_t at = s.find(what); at != std::string::npos;
	     at = s.find(what, at + with.size()))
		s.replace(at, what.size(), with);
	return s;
}

} // namespace

std::string xml_escape(std::string_view text)
{
	std::string out;
	out.reserve(text.size());
	for (const char c : text) {
		switch (c) {
		case '&': out += "&amp;"; break;
		case '<': out += "&lt;"; break;
		case '>': out += "&gt;"; break;
		case '"': out += "&quot;"; break;
		case '\'': out += "&apos;"; break;
		default:
			if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
				out += '?';
			else
				out += c;
		}
	}
	return out;
}

std::string frame_color(std::string_view name)
{
	// FNV-1a: stable across runs and builds.
	std::uint32_t h = 2166136261U;
	for (const char c : name) {
		h ^= static_cast<unsigned char>(c);
		h *= 16777619U;
	}
	const unsigned r = 205 + (h & 0xffU) * 50 / 255;
	const unsigned g = ((h >> 8) & 0xffU) * 230 / 255;
	const unsigned b = ((h >> 16) & 0xffU) * 55 / 255;
	return "rgb(" + std::to_string(r) + "," + std::to_string(g) + "," + std::to_string(b) + ")";
}

std::string flamegraph_svg(const FoldedStacks &stacks, const FlameGraphOptions &opt)
{
	unsigned max_depth = 0;
	const std::vector<Node> tree = build_tree(stacks, max_depth);
	const double fh = opt.frame_height;
	const double full = opt.width - 2 * margin_x;
	const double height = top_margin + (max_depth + 1) * fh + bottom_margin;
	const std::uint64_t total = tree[0].count;

	std::string o;
	o += "<?xml version=\"1.0\" standalone=\"no\"?>\n";
	o += "<svg version=\"1.1\" width=\"" + fmt(opt.width) + "\" height=\"" + fmt(height) +
	     "\" viewBox=\"0 0 " + fmt(opt.width) + " " + fmt(height) +
	     "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
	o += "<style type=\"text/css\">\n"
	     "text { font-family: Verdana, sans-serif; font-size: " + fmt(font_size) +
	     "px; fill: rgb(0,0,0); }\n"
	     "#title { font-size: 17px; text-anchor: middle; }\n"
	     "#subtitle { text-anchor: middle; fill: rgb(160,160,160); }\n"
	     "#search, #unzoom { cursor: pointer; }\n"
	     "#search, #matched { text-anchor: end; }\n"
	     ".f text { pointer-events: none; }\n"
	     ".f:hover rect { stroke: rgb(0,0,0); stroke-width: 0.5; cursor: pointer; }\n"
	     "</style>\n";
	o += "<script type=\"text/ecmascript\"><![CDATA[";
	o += replace_all(replace_all(replace_all(script, "MARGIN", fmt(margin_x)), "WIDTH",
				     fmt(full)),
			 "CHARW", fmt(char_width));
	o += "]]></script>\n";
	o += "<rect x=\"0\" y=\"0\" width=\"" + fmt(opt.width) + "\" height=\"" + fmt(height) +
	     "\" fill=\"rgb(248,248,240)\"/>\n";
	o += "<text id=\"title\" x=\"" + fmt(opt.width / 2) + "\" y=\"24\">" +
	     xml_escape(opt.title) + "</text>\n";
	if (!opt.subtitle.empty())
		o += "<text id=\"subtitle\" x=\"" + fmt(opt.width / 2) + "\" y=\"42\">" +
		     xml_escape(opt.subtitle) + "</text>\n";
	o += "<text id=\"unzoom\" x=\"" + fmt(margin_x) + "\" y=\"24\" style=\"opacity:0\">" +
	     "Reset Zoom</text>\n";
	o += "<text id=\"search\" x=\"" + fmt(opt.width - margin_x) + "\" y=\"24\">Search</text>\n";
	o += "<text id=\"matched\" x=\"" + fmt(opt.width - margin_x) + "\" y=\"" +
	     fmt(height - 10) + "\"> </text>\n";
	o += "<text id=\"details\" x=\"" + fmt(margin_x) + "\" y=\"" + fmt(height - 10) +
	     "\"> </text>\n";

	// Depth first, each child right of the previous one (name order).
	struct Item {
		std::size_t node;
		double x;
	};
	std::vector<Item> todo{{0, margin_x}};
	while (!todo.empty()) {
		const Item it = todo.back();
		todo.pop_back();
		const Node &n = tree[it.node];
		const double w = total ? full * static_cast<double>(n.count) /
						 static_cast<double>(total)
				       : full;
		if (it.node != 0 && w < opt.min_width)
			continue;
		const double y = height - bottom_margin - (n.depth + 1) * fh;
		const std::string name = xml_escape(n.name);
		o += "<g class=\"f\"><title>" + name + " (" + std::to_string(n.count) +
		     (n.count == 1 ? " sample, " : " samples, ") + percent(n.count, total) +
		     ")</title><rect x=\"" + fmt(it.x) + "\" y=\"" + fmt(y) + "\" width=\"" +
		     fmt(w) + "\" height=\"" + fmt(fh - 1) + "\" fill=\"" +
		     (it.node == 0 ? std::string("rgb(210,210,210)") : frame_color(n.name)) +
		     "\" rx=\"2\" ry=\"2\" data-x=\"" + fmt(it.x) + "\" data-w=\"" + fmt(w) +
		     "\" data-n=\"" + std::to_string(n.count) + "\"/><text x=\"" +
		     fmt(it.x + 3) + "\" y=\"" + fmt(y + fh - 4.5) + "\">" +
		     xml_escape(fit_label(n.name, w)) + "</text></g>\n";
		// Children left to right in name order (the parent's own samples
		// on the right), pushed in reverse so they are taken in order.
		std::vector<Item> kids;
		double x = it.x;
		for (const auto &[cname, c] : n.children) {
			kids.push_back({c, x});
			x += total ? full * static_cast<double>(tree[c].count) /
					     static_cast<double>(total)
				   : 0;
		}
		todo.insert(todo.end(), kids.rbegin(), kids.rend());
	}
	o += "</svg>\n";
	return o;
}

} // namespace ktr
