// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * aic-guestcheck bundle: name and place the archive, learn what --redact
 * must hide, collect, then the lists, report, note and manifest.
 */
#include <errno.h>
#include <inttypes.h>
#ifndef AICG_STATIC
#include <pwd.h>
#endif
#include <sys/stat.h>
#include <unistd.h>

#include "../../probes/sigclean.h"
#include "internal.h"
#include "outfile.h"

bool gc_bundle_case_id_valid(const char *id)
{
	size_t n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

	return n == strlen(id) && n >= 1 && n <= 64 && id[0] != '.' && id[0] != '-';
}

/* A host name as a file name part. */
static char *name_part(const char *s)
{
	char *out = xstrndup(s, 64), *p;

	for (p = out; *p; p++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-", *p))
			*p = '_';
	return out;
}

static char *source_host(const struct gc_root *src)
{
	char *host = NULL, buf[256];

	if (src->live && gethostname(buf, sizeof(buf) - 1) == 0) {
		buf[sizeof(buf) - 1] = '\0';
		return xstrdup(buf);
	}
	if (gc_read_string(src, "/proc/sys/kernel/hostname", &host) == 0 && *host)
		return host;
	free(host);
	return xstrdup("unknown");
}

/* What --redact must find as words: names only the source system knows. */
/*
 * A user name the environment gives. The static executable calls no
 * getpwuid(): static glibc would dlopen the guest's NSS modules, built for
 * another glibc. There a network account (LDAP, SSSD) absent from
 * /etc/passwd is named by USER/LOGNAME, as sudo's caller is by SUDO_USER.
 */
static void add_env_user(struct gc_redact *r, const char *var)
{
	const char *v = getenv(var);

	if (v && *v && !streq(v, "root"))
		gc_redact_add_literal(r, GC_REDACT_USER, v);
}

static void learn_identities(struct gc_redact *r, const struct gc_root *src, const char *host)
{
	static const char *const literal_files[][2] = {
		{ "/proc/sys/kernel/hostname", "h" }, { "/etc/hostname", "h" },
		{ "/proc/sys/kernel/domainname", "h" }, { "/etc/machine-id", "m" },
		{ "/var/lib/dbus/machine-id", "m" }, { "/sys/class/dmi/id/product_serial", "s" },
		{ "/sys/class/dmi/id/board_serial", "s" }, { "/sys/class/dmi/id/chassis_serial", "s" },
		{ "/sys/class/dmi/id/board_asset_tag", "s" }, { "/sys/class/dmi/id/chassis_asset_tag", "s" },
		{ "/sys/class/dmi/id/product_uuid", "u" },
	};
	char *text = NULL, *line, *save = NULL;
	size_t i;

	gc_redact_add_literal(r, GC_REDACT_HOST, host);
	for (i = 0; i < ARRAY_SIZE(literal_files); i++) {
		char *v = NULL;

		if (gc_read_string(src, literal_files[i][0], &v) == 0)
			gc_redact_add_literal(r, literal_files[i][1][0] == 'h' ? GC_REDACT_HOST :
						 literal_files[i][1][0] == 'm' ? GC_REDACT_MACHINE_ID :
						 literal_files[i][1][0] == 'u' ? GC_REDACT_UUID : GC_REDACT_SERIAL, v);
		free(v);
	}
	/* People: accounts from UID 1000 on (login.defs UID_MIN), and who ran us. */
	if (gc_read_file(src, "/etc/passwd", 4u << 20, &text, NULL) == 0)
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *name = line, *colon = strchr(line, ':'), *uid;
			unsigned long id;

			if (!colon || !(uid = strchr(colon + 1, ':')))
				continue;
			*colon = '\0';
			id = strtoul(uid + 1, NULL, 10);
			if (id >= 1000 && id != 65534)
				gc_redact_add_literal(r, GC_REDACT_USER, name);
		}
	free(text);
	if (src->live) {
#ifndef AICG_STATIC
		struct passwd *pw = getpwuid(getuid());

		if (pw && pw->pw_uid >= 1000 && pw->pw_uid != 65534)
			gc_redact_add_literal(r, GC_REDACT_USER, pw->pw_name);
#else
		add_env_user(r, "USER");
		add_env_user(r, "LOGNAME");
#endif
		add_env_user(r, "SUDO_USER");
	}
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The archive's path and its top directory's name. */
static void place(const struct gc_bundle_opts *opts, const char *name, char **path, char **top)
{
	const char *out = opts->output, *base;
	size_t len;

	if (!out || is_dir(out)) {
		const char *dir = out ? out : GC_BUNDLE_DEFAULT_DIR;

		*path = xasprintf("%s%s%s.tar.gz", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
		*top = xstrdup(name);
		return;
	}
	*path = streq(out, "-") ? NULL : xstrdup(out);
	base = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
	len = strlen(base);
	if (len > 7 && streq(base + len - 7, ".tar.gz"))
		len -= 7;
	else if (len > 4 && streq(base + len - 4, ".tgz"))
		len -= 4;
	*top = streq(out, "-") || !len || base[0] == '.' ? xstrdup(name) : xstrndup(base, len);
}

static char *size_only_text(const struct bundle *b)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return NULL;
	for (i = 0; i < b->n_entries; i++)
		if (b->entries[i].how == HOW_SIZE_ONLY)
			fprintf(m, "%" PRIu64 " %s\n", b->entries[i].read, b->entries[i].path);
	fclose(m);
	return text;
}

static char *lists_text(const struct bundle *b, bool unreadable)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return NULL;
	if (!unreadable)
		fputs("# errno path: the replay answers this Linux errno for the path (27: cut, too large)\n", m);
	for (i = 0; i < b->n_entries; i++) {
		const struct entry *e = &b->entries[i];

		if (unreadable && e->how == HOW_UNREADABLE)
			fprintf(m, "%s\n", e->path);
		else if (!unreadable && (e->how == HOW_NOT_CAPTURED || e->how == HOW_CUT))
			fprintf(m, "%d %s\n", e->how == HOW_CUT ? EFBIG : -e->err, e->path);
	}
	fclose(m);
	return text;
}

static void add_notes(struct bundle *b, const struct gc_bundle_opts *opts)
{
	char *text = NULL, stamp[64];
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return;
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&b->now));
	fprintf(m, "aic-guestcheck %s support bundle, made %s from %s%s%s.\n"
		   "Replay it with: aic-guestcheck --sysroot <this archive, or this directory unpacked>\n"
		   "It holds the files the checks read, the kernel log (dev/kmsg) and CPUID (dev/cpuid) as\n"
		   "replay files, the pci-hyperv lines of /proc/kallsyms only, the report made when it was\n"
		   "taken (" GC_BUNDLE_REPORT ") and a manifest of every entry with its SHA-256 and how it\n"
		   "was obtained (" GC_BUNDLE_MANIFEST ").\n",
		PROJECT_VERSION, stamp, b->src->live ? "the running system" : b->src->dir,
		opts->case_id ? " for case " : "", opts->case_id ? opts->case_id : "");
	fprintf(m, "%s\n", opts->redact ? "Redacted: host names, addresses, serials, machine ID and user names "
					  "are tokens; the mapping stayed on the machine it was made on." :
					  "Not redacted: the kernel log and command line may name hosts, "
					  "addresses and users.");
	if (b->unreadable)
		fprintf(m, "%zu paths could not be read without root (listed in " GC_UNREADABLE_LIST ").\n",
			b->unreadable);
	if (b->size_only)
		fprintf(m, "%zu files the checks only looked at (firmware images) are held by size, not "
			   "content (listed in " GC_SIZE_ONLY_LIST ").\n", b->size_only);
	if (b->not_captured || b->cut)
		fprintf(m, "%zu paths could not be read and %zu files were cut at %u MiB (listed in "
			   GC_BUNDLE_NOT_CAPTURED ").\n", b->not_captured, b->cut, GC_BUNDLE_FILE_MAX >> 20);
	fclose(m);
	bundle_file_mem(b, "/" GC_BUNDLE_NOTE, text, len, HOW_BUNDLE, true);
	free(text);
}

static void add_meta(struct bundle *b, const struct gc_bundle_opts *opts)
{
	char *text;
	size_t len;

	if ((text = lists_text(b, true)) && *text)
		bundle_file_mem(b, "/" GC_UNREADABLE_LIST, text, strlen(text), HOW_BUNDLE, false);
	free(text);
	if ((text = lists_text(b, false)) && strchr(text, '/'))
		bundle_file_mem(b, "/" GC_BUNDLE_NOT_CAPTURED, text, strlen(text), HOW_BUNDLE, false);
	free(text);
	if (!(text = size_only_text(b)) && b->size_only && !b->err)
		b->err = -ENOMEM;  /* stand-ins without their list would replay as empty */
	else if (text && *text)
		bundle_file_mem(b, "/" GC_SIZE_ONLY_LIST, text, strlen(text), HOW_BUNDLE, false);
	free(text);
	if (opts->report_json)
		bundle_file_mem(b, "/" GC_BUNDLE_REPORT, opts->report_json, strlen(opts->report_json),
				HOW_BUNDLE, true);
	add_notes(b, opts);
	/* Last, so that it lists everything before it. */
	text = bundle_manifest_json(b, opts, &len);
	bundle_file_mem(b, "/" GC_BUNDLE_MANIFEST, text, len, HOW_BUNDLE, false);
	free(text);
}

/* The mapping, into the file created (and so checked) before the bundle was written. */
static int write_map(const struct gc_redact *r, struct gc_outfile *out)
{
	int fd = dup(out->fd);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return -ENOMEM;
	}
	gc_redact_write_map(r, f);
	if (fclose(f) != 0)
		return -EIO;
	return 0;
}

/*
 * The bundle, and its map first when there is one: both written out, then
 * renamed with the signals held, so that neither is left without the
 * other (the map, without its bundle, maps nothing; the bundle without
 * its map cannot be read back). Should the bundle's rename fail, the map
 * goes; with --force an earlier map it replaced is then gone too.
 */
static int put_in_place(struct gc_outfile *out, struct gc_outfile *map, const char **err_msg)
{
	sigset_t mask;
	int err;

	if ((err = gc_outfile_sync(out)) || (map && (err = gc_outfile_sync(map)))) {
		*err_msg = "cannot write the bundle out";
		return err;
	}
	gc_sigclean_hold(&mask);
	if (map && (err = gc_outfile_commit_pending(map)))
		*err_msg = "cannot put the redaction map file in place";
	else if ((err = gc_outfile_commit(out)))
		*err_msg = err == -EEXIST ? "appeared while the bundle was written; give --force to replace it" :
					    "cannot put the bundle in place";
	if (map && err)
		gc_outfile_abort(map);
	else if (map)
		gc_outfile_keep(map);
	gc_sigclean_release(&mask);
	return err;
}

/* The finished archive, still under its temporary name, replayed by the caller. */
static int verify(const struct gc_bundle_opts *opts, const char *path, const struct gc_outfile *out, char **why)
{
	const char *slash = strrchr(path, '/');
	char *tmp;
	int err;

	tmp = slash ? xasprintf("%.*s/%s", (int)(slash - path), path, out->tmp) : xstrdup(out->tmp);
	err = opts->verify(tmp, opts->verify_ctx, why);
	free(tmp);
	return err;
}

int gc_bundle_write(const struct gc_root *src, const struct gc_record *rec, const struct gc_facts *f,
		    const struct gc_bundle_opts *opts, struct gc_bundle_info *info, const char **err_msg)
{
	struct bundle b = { .src = src, .now = time(NULL) };
	struct gc_outfile out = GC_OUTFILE_INIT, map = GC_OUTFILE_INIT;
	struct gc_redact red;
	char stamp[32], *host = source_host(src), *hostpart, *name, *path = NULL;
	int fd = STDOUT_FILENO, err;

	*info = (struct gc_bundle_info){ 0 };
	*err_msg = NULL;
	if (opts->redact) {
		gc_redact_init(&red);
		learn_identities(&red, src, host);
		b.red = &red;
		hostpart = name_part(gc_redact_token(&red, GC_REDACT_HOST, host));
	} else {
		hostpart = name_part(host);
	}
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime(&b.now));
	name = xasprintf("aic-guestcheck-%s%s%s-%s", hostpart, opts->case_id ? "-" : "",
			 opts->case_id ? opts->case_id : "", stamp);
	place(opts, name, &path, &b.top);
	if (!path && opts->verify) {
		*err_msg = "--redact replays the archive to check it and needs a file, not standard output";
		err = -EINVAL;
		goto done;
	}
	if (path) {
		err = gc_outfile_create(&out, path, opts->force);
		if (err) {
			*err_msg = err == -EEXIST ? "exists; give --force to replace it" :
						    "cannot create the bundle file";
			goto done;
		}
		fd = out.fd;
	}
	if (opts->redact) {
		info->map_path = path ? xasprintf("%s.redaction-map", path) :
					xasprintf(GC_BUNDLE_DEFAULT_DIR "/%s.redaction-map", name);
		if ((err = gc_outfile_create(&map, info->map_path, opts->force))) {
			*err_msg = err == -EEXIST ? "the redaction map file exists; give --force to replace it" :
						    "cannot create the redaction map file";
			goto done;
		}
	}
	if ((err = gc_tar_open(&b.tar, fd, b.now)))
		goto done;
	{
		char *topdir = xasprintf("%s/", b.top);

		b.err = gc_tar_add_dir(&b.tar, topdir);
		free(topdir);
	}
	bundle_collect(&b, rec, f);
	add_meta(&b, opts);
	err = b.err;
	if (!err)
		err = gc_tar_close(&b.tar);
	else
		gc_tar_abort(&b.tar);
	if (err) {
		*err_msg = "write error";
		goto done;
	}
	if (opts->verify && (err = verify(opts, path, &out, &info->why))) {
		*err_msg = "refused: its replay does not give the verdicts of this run";
		goto done;
	}
	if (opts->redact && (err = write_map(&red, &map))) {
		*err_msg = "cannot write the redaction map file";
		goto done;
	}
	if (path && (err = put_in_place(&out, opts->redact ? &map : NULL, err_msg)))
		goto done;
	info->path = path;
	path = NULL;
	info->files = b.files;
	info->unreadable = b.unreadable;
	info->not_captured = b.not_captured;
	info->cut = b.cut;
done:
	gc_outfile_abort(&out);
	gc_outfile_abort(&map);
	if (err && info->map_path && opts->redact) {
		free(info->map_path);
		info->map_path = NULL;
	}
	if (opts->redact)
		gc_redact_free(&red);
	bundle_collect_free(&b);
	bundle_entries_free(&b);
	free(b.top);
	free(path);
	free(name);
	free(hostpart);
	free(host);
	return err;
}

void gc_bundle_info_free(struct gc_bundle_info *info)
{
	free(info->path);
	free(info->map_path);
	free(info->why);
	*info = (struct gc_bundle_info){ 0 };
}
