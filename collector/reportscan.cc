/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reportscan_simd: see reportscan.h. The collector's one C++ file: simdjson
 * has no C interface, so this file holds all that touches it, behind a C
 * function; it throws nothing (built with -fno-exceptions, simdjson then
 * reports by error codes) and lets no C++ type out.
 */
#include "reportscan.h"

#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace
{

using simdjson::error_code;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;

/* The body copied with the zeroed padding simdjson reads past its end;
 * each writer thread keeps its own copy and parsers, grown to the largest
 * body it has read up to KEEP_AT_MOST (shrink_after). */
struct padded_copy {
	char *buf = nullptr;
	size_t cap = 0;
	~padded_copy()
	{
		std::free(buf);
	}
};

thread_local simdjson::dom::parser validator;
thread_local od::parser reader;
thread_local padded_copy copy;

/* A body larger than this leaves the thread's parsers and copy as large
 * as it (several times its size); they are let go after it, so that one
 * large report does not hold memory for the life of the writer. */
constexpr size_t KEEP_AT_MOST = 256 * 1024;

struct shrink_after {
	size_t len;
	~shrink_after()
	{
		if (len <= KEEP_AT_MOST)
			return;
		validator = simdjson::dom::parser();
		reader = od::parser();
		std::free(copy.buf);
		copy.buf = nullptr;
		copy.cap = 0;
	}
};

/* Whether every integer under E fits in 64 signed bits: simdjson holds
 * one from 2^63 to 2^64-1 as unsigned, and jansson, which reads observed
 * values back (export, the device page), refuses it; yajl did too. */
bool integers_fit(simdjson::dom::element e)
{
	simdjson::dom::array a;
	simdjson::dom::object o;

	switch (e.type()) {
	case simdjson::dom::element_type::ARRAY:
		if (e.get_array().get(a) != SUCCESS)
			return false;
		for (simdjson::dom::element x : a)
			if (!integers_fit(x))
				return false;
		return true;
	case simdjson::dom::element_type::OBJECT:
		if (e.get_object().get(o) != SUCCESS)
			return false;
		for (simdjson::dom::key_value_pair kv : o)
			if (!integers_fit(kv.value))
				return false;
		return true;
	case simdjson::dom::element_type::UINT64:
		return false;
	default:
		return true;
	}
}

/* Where an On Demand walk of one body is. */
struct walk {
	report_scan *sc;
	const char *copy; /* what simdjson reads */
	const char *body; /* the caller's, which the observed slices point into */
};

/* The known objects: each one's keys and the fields of SC they fill. */
enum place { P_DEVICE, P_OS, P_AGENT, P_POLICY, P_SUMMARY };

struct place_def {
	const char *const *keys;
	int n;
	enum sub_field first; /* key I fills sub[first + I] */
};

const place_def places[] = {
	{ reportscan_device_keys, REPORTSCAN_DEVICE_KEYS, S_HOSTNAME },
	{ reportscan_os_keys, 2, S_OS_NAME },
	{ reportscan_agent_keys, 1, S_AGENT_VERSION },
	{ reportscan_policy_keys, 2, S_POLICY_NAME },
	{ reportscan_summary_keys, 4, S_PASS },
};

/* Field F takes value V: its kind, and a string's copy or a number. A
 * container is not read (the next field skips it). -1 when out of memory
 * or when On Demand fails on what the validator took (reportin then reads
 * the body with yajl instead). */
int fill(walk &w, od::value &v, rs_field *f)
{
	od::json_type type;

	if (v.type().get(type) != SUCCESS)
		return -1;
	switch (type) {
	case od::json_type::object:
		f->kind = K_OBJECT;
		return 0;
	case od::json_type::array:
		f->kind = K_OTHER;
		return 0;
	case od::json_type::null:
		f->kind = K_NULL;
		return 0;
	case od::json_type::boolean: {
		bool b;

		if (v.get_bool().get(b) != SUCCESS)
			return -1;
		f->kind = K_BOOL;
		f->num = b;
		return 0;
	}
	case od::json_type::number: {
		int64_t n;

		/* an integer that fits, as yajl's integer callback has it;
		 * a fraction, an exponent or a larger number is another kind */
		if (v.get_int64().get(n) == SUCCESS) {
			f->kind = K_INT;
			f->num = n;
		} else {
			f->kind = K_OTHER;
		}
		return 0;
	}
	case od::json_type::string: {
		std::string_view s;

		if (v.get_string().get(s) != SUCCESS)
			return -1;
		f->kind = K_STRING;
		f->text = reportscan_keep(w.sc, s.data(), s.size());
		return f->text != nullptr ? 0 : -1;
	}
	}
	return -1;
}

/* A key of a known object, for SEEN (the keys met so far, by bit): its
 * index among the N KEYS, or -1 for one the collector does not read. */
int key_of(walk &w, od::field &fld, const char *const *keys, int n, unsigned *seen, int *i)
{
	std::string_view key;

	if (fld.unescaped_key().get(key) != SUCCESS)
		return -1;
	*i = reportscan_key(key.data(), key.size(), keys, n);
	if (*i >= 0) {
		if (*seen & (1u << *i))
			w.sc->duplicate = 1;
		*seen |= 1u << *i;
	}
	return 0;
}

/* OBJ, a known object other than a result or the report itself. */
int read_place(walk &w, od::object &obj, enum place at)
{
	const place_def &def = places[at];
	unsigned seen = 0;

	for (auto item : obj) {
		od::field fld;
		int i;

		if (std::move(item).get(fld) != SUCCESS ||
		    key_of(w, fld, def.keys, def.n, &seen, &i) != 0)
			return -1;
		if (i < 0)
			continue;
		od::value v = fld.value();
		if (fill(w, v, &w.sc->sub[def.first + i]) != 0)
			return -1;
		if (at == P_DEVICE && def.first + i == S_OS && w.sc->sub[S_OS].kind == K_OBJECT) {
			od::object os;

			if (v.get_object().get(os) != SUCCESS || read_place(w, os, P_OS) != 0)
				return -1;
		}
	}
	return 0;
}

/* The text of value V, as its slice of the caller's body. */
int observed(walk &w, od::value &v, rs_field *f)
{
	od::json_type type;
	std::string_view raw;
	error_code e;

	if (v.type().get(type) != SUCCESS)
		return -1;
	if (type == od::json_type::object) {
		od::object o;

		e = v.get_object().get(o);
		if (e == SUCCESS)
			e = o.raw_json().get(raw);
	} else if (type == od::json_type::array) {
		od::array a;

		e = v.get_array().get(a);
		if (e == SUCCESS)
			e = a.raw_json().get(raw);
	} else {
		raw = v.raw_json_token();
		e = SUCCESS;
	}
	if (e != SUCCESS)
		return -1;
	/* simdjson's slice runs on over the blanks after the value */
	while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' ||
	                        raw.back() == '\r'))
		raw.remove_suffix(1);
	f->kind = K_OTHER;
	f->text = w.body + (raw.data() - w.copy);
	f->num = (long long)raw.size();
	return 0;
}

/* One element of results. */
int read_result(walk &w, od::value &elem)
{
	rs_field res[N_RES] = {};
	od::json_type type;
	od::object obj;
	unsigned seen = 0;

	if (elem.type().get(type) != SUCCESS)
		return -1;
	if (type != od::json_type::object) /* kept with no fields, to be refused */
		return reportscan_result(w.sc, res) ? 0 : -1;
	if (elem.get_object().get(obj) != SUCCESS)
		return -1;
	for (auto item : obj) {
		od::field fld;
		int i;

		if (std::move(item).get(fld) != SUCCESS ||
		    key_of(w, fld, reportscan_result_keys, N_RES, &seen, &i) != 0)
			return -1;
		if (i < 0)
			continue;
		od::value v = fld.value();
		if ((i == R_OBSERVED ? observed(w, v, &res[i]) : fill(w, v, &res[i])) != 0)
			return -1;
	}
	return reportscan_result(w.sc, res) ? 0 : -1;
}

/* The report object. */
int read_top(walk &w, od::object &obj)
{
	unsigned seen = 0;

	for (auto item : obj) {
		od::field fld;
		od::json_type type;
		int i;

		if (std::move(item).get(fld) != SUCCESS ||
		    key_of(w, fld, reportscan_top_keys, N_TOP, &seen, &i) != 0)
			return -1;
		if (i < 0)
			continue;
		od::value v = fld.value();
		if (v.type().get(type) != SUCCESS || fill(w, v, &w.sc->top[i]) != 0)
			return -1;
		if (type == od::json_type::object &&
		    (i == F_DEVICE || i == F_AGENT || i == F_POLICY || i == F_SUMMARY)) {
			enum place at = i == F_DEVICE   ? P_DEVICE
			                : i == F_AGENT  ? P_AGENT
			                : i == F_POLICY ? P_POLICY
			                                : P_SUMMARY;
			od::object inner;

			if (v.get_object().get(inner) != SUCCESS || read_place(w, inner, at) != 0)
				return -1;
		} else if (type == od::json_type::array && i == F_RESULTS) {
			od::array results;

			w.sc->results_array = 1;
			if (v.get_array().get(results) != SUCCESS)
				return -1;
			for (auto item_elem : results) {
				od::value elem;

				if (std::move(item_elem).get(elem) != SUCCESS ||
				    read_result(w, elem) != 0)
					return -1;
			}
		}
	}
	return 0;
}

} // namespace

extern "C" int reportscan_simd(const char *body, size_t len, struct report_scan *sc,
                               const char **why)
{
	shrink_after shrink = { len }; /* first: it goes last */
	size_t need = len + simdjson::SIMDJSON_PADDING;
	simdjson::dom::element root;
	od::document doc;
	od::json_type type;
	od::object obj;
	error_code e;

	if (copy.cap < need) {
		char *grown = static_cast<char *>(std::realloc(copy.buf, need));

		if (grown == nullptr)
			return -1;
		copy.buf = grown;
		copy.cap = need;
	}
	if (len > 0)
		std::memcpy(copy.buf, body, len);
	std::memset(copy.buf + len, 0, simdjson::SIMDJSON_PADDING);
	/* the whole body, validated; then read again for the fields, which
	 * cannot fail on JSON the validator took but for memory */
	e = validator.parse(copy.buf, len, false).get(root);
	if (e == simdjson::MEMALLOC)
		return -1;
	if (e != SUCCESS) {
		*why = simdjson::error_message(e);
		return 0;
	}
	if (!integers_fit(root)) {
		*why = "an integer past 2^63-1";
		return 0;
	}
	walk w = { sc, copy.buf, body };
	if (reader.iterate(copy.buf, len, copy.cap).get(doc) != SUCCESS ||
	    doc.type().get(type) != SUCCESS)
		return -1;
	if (type != od::json_type::object) {
		sc->top_kind = 1;
		return 1;
	}
	sc->top_kind = 2;
	if (doc.get_object().get(obj) != SUCCESS || read_top(w, obj) != 0)
		return -1;
	return 1;
}
