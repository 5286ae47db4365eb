// SPDX-License-Identifier: GPL-2.0-or-later
/* The format table, and writing a report to a file atomically. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

static const struct {
	const char *name;
	int (*render)(FILE *out, const struct gc_report *rep);
} formats[_GC_FORMAT_MAX] = {
	[GC_FORMAT_TEXT] = { "text", gc_report_text },
	[GC_FORMAT_JSON] = { "json", gc_report_json },
	[GC_FORMAT_ONELINE] = { "oneline", gc_report_oneline },
	[GC_FORMAT_JUNIT] = { "junit", gc_report_junit },
	[GC_FORMAT_GITHUB] = { "github", gc_report_github },
	[GC_FORMAT_PROMETHEUS] = { "prometheus", gc_report_prometheus },
	[GC_FORMAT_NFD] = { "nfd", gc_report_nfd },
};

int gc_format_parse(const char *name, enum gc_format *f)
{
	size_t i;

	for (i = 0; i < _GC_FORMAT_MAX; i++)
		if (formats[i].name && streq(formats[i].name, name)) {
			*f = (enum gc_format)i;
			return 0;
		}
	return -EINVAL;
}

const char *gc_format_name(enum gc_format f)
{
	return formats[f].name ? formats[f].name : "?";
}

const char *gc_format_names(char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < _GC_FORMAT_MAX && len < size; i++)
		if (formats[i].name)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", formats[i].name);
	return buf;
}

size_t gc_report_count(const struct gc_report *rep, enum gc_status s)
{
	size_t i, n = 0;

	for (i = 0; i < rep->n; i++)
		n += rep->res[i].status == s;
	return n;
}

int gc_report_render(FILE *out, enum gc_format f, const struct gc_report *rep)
{
	return formats[f].render(out, rep);
}

/*
 * The temporary file is a dot file in the target's directory: rename(2) is
 * atomic only within one file system, node_exporter reads only *.prom and
 * NFD ignores dot files, so neither ever reads half a report.
 */
int gc_report_write_file(const char *path, enum gc_format f, const struct gc_report *rep)
{
	char *dcopy = xstrdup(path), *bcopy = xstrdup(path), *tmp = NULL;
	int fd, err = 0;
	FILE *out;

	tmp = xasprintf("%s/.%s.XXXXXX", dirname(dcopy), basename(bcopy));
	free(dcopy);
	free(bcopy);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	/* A report is for everyone who may read the machine's state, like /proc/cpuinfo. */
	if (fchmod(fd, 0644) < 0)
		err = -errno;
	out = fdopen(fd, "w");
	if (!out) {
		err = -errno;
		close(fd);
	} else {
		if (!err)
			err = gc_report_render(out, f, rep);
		if (fflush(out) != 0 && !err)
			err = -errno;
		if (!err && fsync(fileno(out)) < 0)
			err = -errno;
		if (fclose(out) != 0 && !err)
			err = -errno;
	}
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}
