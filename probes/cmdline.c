// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/cmdline parsing (model: the kernel's next_arg()). */
#include "cmdline.h"

void gc_cmdline_parse(const char *text, struct gc_cmdline *out)
{
	const char *p = text;

	while (*p) {
		char word[4096];
		size_t o = 0;
		bool quoted = false;
		struct gc_param *param;
		char *eq;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n'))) {
			if (*p == '"')
				quoted = !quoted;
			else if (o < sizeof(word) - 1)
				word[o++] = *p;
			p++;
		}
		word[o] = '\0';
		if (streq(word, "--"))
			break;  /* the rest belongs to init */
		param = xappend(&out->p, &out->n, sizeof(*param));
		eq = strchr(word, '=');
		if (eq) {
			*eq = '\0';
			param->value = xstrdup(eq + 1);
		}
		param->key = xstrdup(word);
	}
}

int gc_cmdline_probe(const struct gc_root *r, struct gc_cmdline *out)
{
	*out = (struct gc_cmdline){ 0 };
	out->err = gc_read_string(r, "/proc/cmdline", &out->raw);
	if (!out->err)
		gc_cmdline_parse(out->raw, out);
	return 0;
}

const char *gc_cmdline_get(const struct gc_cmdline *c, const char *key)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (streq(c->p[i].key, key))
			v = c->p[i].value ? c->p[i].value : "";
	return v;
}

bool gc_cmdline_has_word(const struct gc_cmdline *c, const char *key, const char *word)
{
	size_t i, wl = strlen(word);

	for (i = 0; i < c->n; i++) {
		const char *v = c->p[i].value;

		if (!streq(c->p[i].key, key) || !v)
			continue;
		while (*v) {
			size_t len = strcspn(v, ",");

			if (len == wl && strncmp(v, word, wl) == 0)
				return true;
			v += len;
			if (*v == ',')
				v++;
		}
	}
	return false;
}

void gc_cmdline_free(struct gc_cmdline *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->p[i].key);
		free(c->p[i].value);
	}
	free(c->p);
	free(c->raw);
	*c = (struct gc_cmdline){ 0 };
}
