/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream: transparent decompression with the formats' own libraries (liblz4's
 * frame API, zlib, liblzma, libzstd, and libzck for dnf's zchunk metadata).
 * See stream.h.
 */
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zck.h>
#include <zlib.h>
#include <zstd.h>

#define IN_SIZE (64 * 1024)

enum codec { CODEC_NONE, CODEC_LZ4, CODEC_GZ, CODEC_XZ, CODEC_ZST, CODEC_ZCK };

struct stream {
	enum codec codec;
	int fd;
	int eof_in;
	unsigned char *in;
	size_t in_len, in_pos;
	LZ4F_dctx *lz4;
	z_stream z;
	int z_ready;
	lzma_stream xz;
	int xz_ready;
	ZSTD_DStream *zst;
	zckCtx *zck;
	int mid_frame; /* a compressed frame has started and not ended */
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int stream_open(const struct rootfs *root, const char *path, struct stream **out)
{
	struct stream *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (s == NULL)
		return -ENOMEM;
	s->fd = rootfs_openat(root, path, O_RDONLY);
	if (s->fd < 0) {
		rc = s->fd;
		free(s);
		return rc;
	}
	(void)posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if (ends_with(path, ".lz4"))
		s->codec = CODEC_LZ4;
	else if (ends_with(path, ".gz"))
		s->codec = CODEC_GZ;
	else if (ends_with(path, ".xz"))
		s->codec = CODEC_XZ;
	else if (ends_with(path, ".zst"))
		s->codec = CODEC_ZST;
	else if (ends_with(path, ".zck"))
		s->codec = CODEC_ZCK;
	if (s->codec != CODEC_NONE) {
		s->in = malloc(IN_SIZE);
		if (s->in == NULL) {
			stream_close(s);
			return -ENOMEM;
		}
	}
	switch (s->codec) {
	case CODEC_LZ4:
		if (LZ4F_isError(LZ4F_createDecompressionContext(&s->lz4, LZ4F_VERSION))) {
			stream_close(s);
			return -ENOMEM;
		}
		break;
	case CODEC_GZ:
		/* 16 + MAX_WBITS: gzip header and trailer, not raw zlib. */
		if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK) {
			stream_close(s);
			return -ENOMEM;
		}
		s->z_ready = 1;
		break;
	case CODEC_XZ: {
		lzma_stream init = LZMA_STREAM_INIT;

		s->xz = init;
		if (lzma_stream_decoder(&s->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
			stream_close(s);
			return -ENOMEM;
		}
		s->xz_ready = 1;
		break;
	}
	case CODEC_ZST:
		s->zst = ZSTD_createDStream();
		if (s->zst == NULL || ZSTD_isError(ZSTD_initDStream(s->zst))) {
			stream_close(s);
			return -ENOMEM;
		}
		break;
	case CODEC_ZCK:
		/* zchunk (dnf's metadata) reads its own file descriptor. */
		s->zck = zck_create();
		if (s->zck == NULL || !zck_init_read(s->zck, s->fd)) {
			stream_close(s);
			return -EBADMSG;
		}
		break;
	case CODEC_NONE:
		break;
	}
	*out = s;
	return 0;
}

/* Refills the compressed input when it is used up. */
static int fill(struct stream *s)
{
	ssize_t n;

	if (s->in_pos < s->in_len || s->eof_in)
		return 0;
	do
		n = read(s->fd, s->in, IN_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	s->in_len = (size_t)n;
	s->in_pos = 0;
	if (n == 0)
		s->eof_in = 1;
	return 0;
}

ssize_t stream_read(struct stream *s, char *buf, size_t len)
{
	size_t produced = 0;
	int rc;

	if (s->codec == CODEC_ZCK) {
		ssize_t n = zck_read(s->zck, buf, len);

		return n < 0 ? -EBADMSG : n;
	}
	if (s->codec == CODEC_NONE) {
		ssize_t n;

		do
			n = read(s->fd, buf, len);
		while (n < 0 && errno == EINTR);
		return n < 0 ? -errno : n;
	}
	while (produced == 0) {
		rc = fill(s);
		if (rc != 0)
			return rc;
		if (s->eof_in && s->in_pos >= s->in_len) {
			/* An input that ends inside a frame is corrupt. */
			if (s->codec == CODEC_XZ && s->xz_ready) {
				lzma_ret r;

				s->xz.next_in = NULL;
				s->xz.avail_in = 0;
				s->xz.next_out = (uint8_t *)buf;
				s->xz.avail_out = len;
				r = lzma_code(&s->xz, LZMA_FINISH);
				produced = len - s->xz.avail_out;
				if (r != LZMA_OK && r != LZMA_STREAM_END)
					return -EBADMSG;
				return (ssize_t)produced;
			}
			/* Input that ends inside a frame is a truncated file. */
			return s->mid_frame ? -EBADMSG : 0;
		}
		switch (s->codec) {
		case CODEC_LZ4: {
			size_t dst = len, src = s->in_len - s->in_pos;
			size_t hint =
			    LZ4F_decompress(s->lz4, buf, &dst, s->in + s->in_pos, &src, NULL);

			if (LZ4F_isError(hint))
				return -EBADMSG;
			s->mid_frame = hint != 0;
			s->in_pos += src;
			produced = dst;
			break;
		}
		case CODEC_GZ: {
			int zr;

			s->z.next_in = s->in + s->in_pos;
			s->z.avail_in = (uInt)(s->in_len - s->in_pos);
			s->z.next_out = (Bytef *)buf;
			s->z.avail_out = (uInt)len;
			zr = inflate(&s->z, Z_NO_FLUSH);
			s->in_pos = s->in_len - s->z.avail_in;
			produced = len - s->z.avail_out;
			if (zr == Z_STREAM_END) {
				/* Concatenated gzip members, as gzip itself allows. */
				s->mid_frame = 0;
				if (inflateReset(&s->z) != Z_OK)
					return -EBADMSG;
			} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
				return -EBADMSG;
			} else {
				s->mid_frame = 1;
			}
			break;
		}
		case CODEC_XZ: {
			lzma_ret r;

			s->xz.next_in = s->in + s->in_pos;
			s->xz.avail_in = s->in_len - s->in_pos;
			s->xz.next_out = (uint8_t *)buf;
			s->xz.avail_out = len;
			r = lzma_code(&s->xz, LZMA_RUN);
			s->in_pos = s->in_len - s->xz.avail_in;
			produced = len - s->xz.avail_out;
			if (r == LZMA_STREAM_END)
				return (ssize_t)produced;
			if (r != LZMA_OK && r != LZMA_BUF_ERROR)
				return -EBADMSG;
			break;
		}
		case CODEC_ZST: {
			ZSTD_inBuffer in = { s->in + s->in_pos, s->in_len - s->in_pos, 0 };
			ZSTD_outBuffer o = { buf, len, 0 };
			size_t hint = ZSTD_decompressStream(s->zst, &o, &in);

			if (ZSTD_isError(hint))
				return -EBADMSG;
			s->in_pos += in.pos;
			produced = o.pos;
			s->mid_frame = hint != 0;
			break;
		}
		case CODEC_ZCK:
		case CODEC_NONE:
			break;
		}
	}
	return (ssize_t)produced;
}

ssize_t stream_read_fn(void *src, char *buf, size_t len)
{
	return stream_read(src, buf, len);
}

void stream_close(struct stream *s)
{
	if (s == NULL)
		return;
	if (s->lz4 != NULL)
		LZ4F_freeDecompressionContext(s->lz4);
	if (s->z_ready)
		inflateEnd(&s->z);
	if (s->xz_ready)
		lzma_end(&s->xz);
	if (s->zst != NULL)
		ZSTD_freeDStream(s->zst);
	if (s->zck != NULL)
		zck_free(&s->zck);
	if (s->fd >= 0)
		close(s->fd);
	free(s->in);
	free(s);
}
