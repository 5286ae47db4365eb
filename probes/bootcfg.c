// SPDX-License-Identifier: GPL-2.0-or-later
/* GRUB, BootLoaderSpec and kernel-install configuration, parsed without running any of it. */
#include <ctype.h>
#include <errno.h>

#include "bootcfg.h"
#include "dirlist.h"
#include "kversion.h"

#define BOOTCFG_MAX (1u << 20)

/* ---- shell fragments (/etc/default/grub) ---- */

static struct gc_shvar *shvar_set(struct gc_grub_defaults *d, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strlen(d->v[i].name) == len && strncmp(d->v[i].name, name, len) == 0)
			return &d->v[i];
	d->v = xrealloc(d->v, (d->n + 1) * sizeof(*d->v));
	d->v[d->n] = (struct gc_shvar){ .name = xstrndup(name, len), .value = xstrdup("") };
	return &d->v[d->n++];
}

/* name (len bytes, "NAME" or "{NAME}") is set in d. */
static bool gc_shvar_get_n(const struct gc_grub_defaults *d, const char *name, size_t len)
{
	size_t i;

	if (len >= 2 && name[0] == '{')
		name++, len -= 2;
	for (i = 0; i < d->n; i++)
		if (strlen(d->v[i].name) == len && strncmp(d->v[i].name, name, len) == 0)
			return true;
	return false;
}

const struct gc_shvar *gc_shvar_get(const struct gc_grub_defaults *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (streq(d->v[i].name, name))
			return &d->v[i];
	return NULL;
}

static bool name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

struct buf {
	char *s;
	size_t n;
};

static void put(struct buf *b, const char *s, size_t n)
{
	b->s = xrealloc(b->s, b->n + n + 1);
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

/*
 * $NAME or ${NAME} at *pp (just past the '$'); anything else after '$'
 * that the shell would expand is not supported. Returns false then.
 */
static bool expand_var(const struct gc_grub_defaults *d, const char **pp, struct buf *out, bool *uncertain)
{
	const char *p = *pp, *name;
	const struct gc_shvar *v;
	char tmp[128];
	size_t len;

	if (*p == '{') {
		name = ++p;
		while (name_char(*p))
			p++;
		if (*p != '}' || p == name)
			return false;
		len = (size_t)(p - name);
		p++;
	} else if (name_start(*p)) {
		name = p;
		while (name_char(*p))
			p++;
		len = (size_t)(p - name);
	} else {
		return false;
	}
	if (len >= sizeof(tmp))
		return false;
	memcpy(tmp, name, len);
	tmp[len] = '\0';
	v = gc_shvar_get(d, tmp);
	if (v) {
		put(out, v->value, strlen(v->value));
		*uncertain |= v->uncertain;
	}
	*pp = p;
	return true;
}

/* One word of a simple assignment's value; NULL with *why set when it is not understood. */
static char *shell_word(const struct gc_grub_defaults *d, const char **pp, bool *uncertain, const char **why)
{
	struct buf out = { xstrdup(""), 0 };
	const char *p = *pp;

	while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != ';') {
		if (*p == '\'') {
			const char *end = strchr(p + 1, '\'');

			if (!end) {
				*why = "unterminated single quote";
				goto fail;
			}
			put(&out, p + 1, (size_t)(end - p - 1));
			p = end + 1;
		} else if (*p == '"') {
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) {
					if (p[1] != '\n')
						put(&out, p + 1, 1);
					p += 2;
				} else if (*p == '$') {
					p++;
					if (!expand_var(d, &p, &out, uncertain)) {
						*why = "an expansion other than $NAME or ${NAME}";
						goto fail;
					}
				} else if (*p == '`') {
					*why = "command substitution";
					goto fail;
				} else {
					put(&out, p++, 1);
				}
			}
			if (*p != '"') {
				*why = "unterminated double quote";
				goto fail;
			}
			p++;
		} else if (*p == '\\' && p[1]) {
			if (p[1] != '\n')
				put(&out, p + 1, 1);
			p += 2;
		} else if (*p == '$') {
			p++;
			if (!expand_var(d, &p, &out, uncertain)) {
				*why = "an expansion other than $NAME or ${NAME}";
				goto fail;
			}
		} else if (*p == '`' || *p == '(' || *p == ')' || *p == '|' || *p == '&' || *p == '<' ||
			   *p == '>') {
			*why = "command substitution, a subshell, a pipe or a redirection";
			goto fail;
		} else {
			put(&out, p++, 1);
		}
	}
	*pp = p;
	return out.s;
fail:
	free(out.s);
	return NULL;
}

static void unsupported(struct gc_grub_defaults *d, const char *file, unsigned line, const char *what)
{
	*(char **)xappend(&d->unsupported, &d->n_unsupported, sizeof(char *)) =
		xasprintf("%s:%u: %s", file, line, what);
}

/* The logical line at p (backslash-newline joins lines outside single quotes, as sh does). */
static char *logical_line(const char **pp, unsigned *lines)
{
	struct buf out = { xstrdup(""), 0 };
	const char *p = *pp;
	bool squote = false;

	*lines = 1;
	while (*p && *p != '\n') {
		if (*p == '\'')
			squote = !squote;
		if (!squote && *p == '\\' && p[1] == '\n') {
			p += 2;
			(*lines)++;
			continue;
		}
		put(&out, p++, 1);
	}
	if (*p == '\n')
		p++;
	*pp = p;
	return out.s;
}

/* NAME=word [; | # comment], optionally after "export ". */
static void shell_line(struct gc_grub_defaults *d, const char *line, const char *file, unsigned no)
{
	const char *p = line, *name, *why = NULL;
	struct gc_shvar *v;
	bool uncertain = false;
	size_t len;
	char *val;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '#')
		return;
	if (startswith(p, "export ") || startswith(p, "export\t"))
		p += 7;
	while (*p == ' ' || *p == '\t')
		p++;
	name = p;
	if (!name_start(*p)) {
		unsupported(d, file, no, "not an assignment");
		return;
	}
	while (name_char(*p))
		p++;
	len = (size_t)(p - name);
	if (*p != '=') {
		unsupported(d, file, no, "not an assignment");
		return;
	}
	p++;
	val = shell_word(d, &p, &uncertain, &why);
	while (val && (*p == ' ' || *p == '\t' || *p == ';'))
		p++;
	if (val && *p && *p != '#') {
		why = "more than one command on the line";
		free(val);
		val = NULL;
	}
	v = shvar_set(d, name, len);
	free(v->file);
	v->file = xstrdup(file);
	if (!val) {
		char *msg = xasprintf("%.*s: %s", (int)len, name, why);

		unsupported(d, file, no, msg);
		free(msg);
		v->uncertain = true;
		return;
	}
	free(v->value);
	v->value = val;
	v->uncertain = uncertain;
}

void gc_shell_parse(const char *text, const char *file, struct gc_grub_defaults *d)
{
	const char *p = text;
	unsigned no = 1;

	while (*p) {
		unsigned lines;
		char *line = logical_line(&p, &lines);

		shell_line(d, line, file, no);
		free(line);
		no += lines;
	}
}

static void defaults_free(struct gc_grub_defaults *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].name);
		free(d->v[i].value);
		free(d->v[i].file);
	}
	free(d->v);
	for (i = 0; i < d->n_files; i++)
		free(d->files[i]);
	free(d->files);
	for (i = 0; i < d->n_unsupported; i++)
		free(d->unsupported[i]);
	free(d->unsupported);
	*d = (struct gc_grub_defaults){ 0 };
}

/* ---- grubenv ---- */

void gc_grubenv_parse(const char *text, struct gc_grub_defaults *env)
{
	const char *p = text;

	while (*p) {
		size_t len = strcspn(p, "\n");
		const char *eq = memchr(p, '=', len);

		if (*p != '#' && eq && eq > p) {
			struct gc_shvar *v = shvar_set(env, p, (size_t)(eq - p));

			free(v->value);
			v->value = xstrndup(eq + 1, len - (size_t)(eq - p) - 1);
		}
		p += len;
		if (*p)
			p++;
	}
}

char *gc_grubenv_expand(const struct gc_grub_defaults *env, const char *text, char **ret_undefined)
{
	struct buf out = { xstrdup(""), 0 };
	const char *p = text;

	*ret_undefined = NULL;
	while (*p) {
		bool unc = false;

		if (*p == '$') {
			const char *q = p + 1;
			size_t before = out.n;

			if (expand_var(env, &q, &out, &unc)) {
				/* Not in grubenv: GRUB would expand it to nothing, but we cannot know it is unset. */
				if (out.n == before && !*ret_undefined && !gc_shvar_get_n(env, p + 1, (size_t)(q - p - 1)))
					*ret_undefined = xstrndup(p, (size_t)(q - p));
				p = q;
				continue;
			}
		}
		put(&out, p++, 1);
	}
	return out.s;
}

/* ---- grub.cfg ---- */

/* Split a GRUB script line into words (quotes removed); at most max words. */
static size_t grub_words(const char *line, char **w, size_t max)
{
	const char *p = line;
	size_t n = 0;

	while (n < max) {
		struct buf b = { xstrdup(""), 0 };

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p) {
			free(b.s);
			break;
		}
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '\'' || *p == '"') {
				char q = *p++;
				const char *end = strchr(p, q);

				if (!end)
					end = p + strlen(p);
				put(&b, p, (size_t)(end - p));
				p = *end ? end + 1 : end;
			} else if (*p == '\\' && p[1]) {
				put(&b, p + 1, 1);
				p += 2;
			} else {
				put(&b, p++, 1);
			}
		}
		w[n++] = b.s;
	}
	return n;
}

static void words_free(char **w, size_t n)
{
	while (n)
		free(w[--n]);
}

enum block { BLOCK_OTHER, BLOCK_ENTRY, BLOCK_SUBMENU };

#define GRUB_DEPTH 32
#define GRUB_WORDS 16

struct cfg_state {
	enum block stack[GRUB_DEPTH];
	int depth;
	char *sub_title, *sub_id;
	int sub_count;
	int top_count;
	struct gc_grub_entry *cur;
	int if_depth;          /* if ... fi nesting */
	bool in_next_entry;    /* inside `if [ "${next_entry}" ]` */
	int next_entry_level;
};

static void open_item(struct gc_grub_cfg *out, struct cfg_state *st, char **w, size_t n, bool submenu)
{
	char *title = n > 1 ? w[1] : "";
	char *id = NULL;
	size_t i;

	for (i = 2; i + 1 < n; i++)
		if (streq(w[i], "--id") || streq(w[i], "$menuentry_id_option") ||
		    streq(w[i], "${menuentry_id_option}"))
			id = w[i + 1];
	if (submenu) {
		free(st->sub_title);
		free(st->sub_id);
		st->sub_title = xstrdup(title);
		st->sub_id = id ? xstrdup(id) : NULL;
		st->sub_count = 0;
		st->top_count++;
		return;
	}
	st->cur = xappend(&out->e, &out->n, sizeof(*out->e));
	st->cur->title = xstrdup(title);
	st->cur->id = id ? xstrdup(id) : NULL;
	if (st->sub_title) {
		st->cur->parent = xstrdup(st->sub_title);
		st->cur->parent_id = st->sub_id ? xstrdup(st->sub_id) : NULL;
		st->cur->top_index = st->top_count - 1;
		st->cur->sub_index = st->sub_count++;
	} else {
		st->cur->top_index = st->top_count++;
		st->cur->sub_index = -1;
	}
}

static void cfg_line(struct gc_grub_cfg *out, struct cfg_state *st, const char *line)
{
	char *w[GRUB_WORDS];
	size_t n = grub_words(line, w, GRUB_WORDS);
	bool opens = n && streq(w[n - 1], "{");

	if (!n)
		return;
	if (streq(w[0], "}")) {
		if (st->depth > 0) {
			enum block b = st->stack[--st->depth];

			if (b == BLOCK_ENTRY)
				st->cur = NULL;
			else if (b == BLOCK_SUBMENU) {
				free(st->sub_title);
				free(st->sub_id);
				st->sub_title = st->sub_id = NULL;
			}
		}
	} else if (streq(w[0], "if")) {
		st->if_depth++;
		if (strstr(line, "next_entry") && !st->in_next_entry) {
			st->in_next_entry = true;
			st->next_entry_level = st->if_depth;
		}
	} else if (streq(w[0], "else") || streq(w[0], "elif")) {
		if (st->in_next_entry && st->next_entry_level == st->if_depth)
			st->in_next_entry = false;
	} else if (streq(w[0], "fi")) {
		if (st->in_next_entry && st->next_entry_level == st->if_depth)
			st->in_next_entry = false;
		if (st->if_depth > 0)
			st->if_depth--;
	} else if ((streq(w[0], "menuentry") || streq(w[0], "submenu")) && opens) {
		bool sub = streq(w[0], "submenu");

		/* Entries inside a function or a nested menu are not the generated menu: ignore. */
		if (st->depth == 0 || (!sub && st->depth == 1 && st->stack[0] == BLOCK_SUBMENU))
			open_item(out, st, w, n - 1, sub);
		if (st->depth < GRUB_DEPTH)
			st->stack[st->depth++] = sub ? BLOCK_SUBMENU : BLOCK_ENTRY;
	} else if (opens) {
		if (st->depth < GRUB_DEPTH)
			st->stack[st->depth++] = BLOCK_OTHER;
	} else if (st->cur && !st->cur->kernel &&
		   (streq(w[0], "linux") || streq(w[0], "linuxefi") || streq(w[0], "linux16")) && n > 1) {
		const char *p = line;

		/* The arguments as written: the kernel's own parser handles their quotes. */
		while (*p == ' ' || *p == '\t')
			p++;
		p += strlen(w[0]);
		while (*p == ' ' || *p == '\t')
			p++;
		p += strcspn(p, " \t");
		while (*p == ' ' || *p == '\t')
			p++;
		st->cur->kernel = xstrdup(w[1]);
		st->cur->args = xstrdup(p);
	} else if (streq(w[0], "set") && n > 1 && startswith(w[1], "default=") && st->depth == 0 &&
		   !st->in_next_entry) {
		free(out->set_default);
		out->set_default = xstrdup(w[1] + 8);
	} else if (streq(w[0], "set") && n > 1 && strchr(w[1], '=') && name_start(w[1][0]) && !st->cur) {
		/* Menu variables ($vt_handoff): a value set on some path is a value we know of. */
		const char *eq = strchr(w[1], '=');
		struct gc_shvar *v = shvar_set(&out->vars, w[1], (size_t)(eq - w[1]));

		free(v->value);
		v->value = xstrdup(eq + 1);
	} else if (streq(w[0], "blscfg") && st->depth == 0) {
		out->blscfg = true;
	}
	words_free(w, n);
}

void gc_grub_cfg_parse(const char *text, struct gc_grub_cfg *out)
{
	struct cfg_state st = { .depth = 0 };
	const char *p = text;

	while (*p) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len);
		char *s = line;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s && *s != '#')
			cfg_line(out, &st, strstrip_right(s));
		free(line);
		p += len;
		if (*p)
			p++;
	}
	free(st.sub_title);
	free(st.sub_id);
}

static void cfg_free(struct gc_grub_cfg *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->e[i].title);
		free(c->e[i].id);
		free(c->e[i].parent);
		free(c->e[i].parent_id);
		free(c->e[i].kernel);
		free(c->e[i].args);
	}
	free(c->e);
	free(c->path);
	free(c->set_default);
	defaults_free(&c->vars);
	*c = (struct gc_grub_cfg){ 0 };
}

/* ---- BootLoaderSpec ---- */

void gc_bls_parse(const char *text, const char *id, struct gc_bls_entry *out)
{
	const char *p = text;

	*out = (struct gc_bls_entry){ .id = xstrdup(id) };
	while (*p) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len), *key = line, *val;

		while (*key == ' ' || *key == '\t')
			key++;
		val = key + strcspn(key, " \t");
		if (*val)
			*val++ = '\0';
		while (*val == ' ' || *val == '\t')
			val++;
		strstrip_right(val);
		if (streq(key, "title") && !out->title)
			out->title = xstrdup(val);
		else if (streq(key, "version") && !out->version)
			out->version = xstrdup(val);
		else if ((streq(key, "linux") || streq(key, "efi")) && !out->kernel)
			out->kernel = xstrdup(val);
		else if (streq(key, "options")) {
			/* The spec: several options lines are joined with spaces. */
			char *o = out->options ? xasprintf("%s %s", out->options, val) : xstrdup(val);

			free(out->options);
			out->options = o;
		}
		free(line);
		p += len;
		if (*p)
			p++;
	}
}

static void bls_entry_free(struct gc_bls_entry *e)
{
	free(e->id);
	free(e->title);
	free(e->version);
	free(e->kernel);
	free(e->options);
}

char *gc_release_from_image(const char *path)
{
	static const char *const prefixes[] = { "vmlinuz-", "vmlinux-", "bzImage-", "kernel-" };
	const char *base;
	size_t i;

	if (!path)
		return NULL;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	/* (hd0,gpt2)/vmlinuz-... and /ostree/.../vmlinuz-...: the base name decides. */
	for (i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (startswith(base, prefixes[i]) && base[strlen(prefixes[i])])
			return xstrdup(base + strlen(prefixes[i]));
	/* Fedora/RHEL BLS: /lib/modules/<release>/vmlinuz. */
	if (streq(base, "vmlinuz") && startswith(path, "/lib/modules/")) {
		const char *r = path + 13;

		return xstrndup(r, strcspn(r, "/"));
	}
	return NULL;
}

/* The release an entry boots: its version line, else its kernel's file name. */
static char *bls_release(const struct gc_bls_entry *e)
{
	return e->version ? xstrdup(e->version) : gc_release_from_image(e->kernel);
}

/* blscfg lists the newest kernel first (descending version), then by file name. */
static int bls_cmp(const void *a, const void *b)
{
	const struct gc_bls_entry *x = a, *y = b;
	char *rx = bls_release(x), *ry = bls_release(y);
	struct gc_kversion vx, vy;
	int c = 0;

	if (rx && ry && gc_kversion_parse(rx, &vx) == 0 && gc_kversion_parse(ry, &vy) == 0)
		c = gc_kversion_cmp(&vy, &vx);
	if (!c && rx && ry)
		c = strcmp(ry, rx);
	if (!c)
		c = strcmp(y->id, x->id);
	free(rx);
	free(ry);
	return c;
}

/* ---- probe ---- */

static int read_text(const struct gc_root *r, const char *path, char **ret)
{
	return gc_read_file(r, path, BOOTCFG_MAX, ret, NULL);
}

static void probe_defaults(const struct gc_root *r, struct gc_grub_defaults *d)
{
	char **names = NULL, *text;
	size_t i, n = 0;

	d->err = read_text(r, "/etc/default/grub", &text);
	if (!d->err) {
		*(char **)xappend(&d->files, &d->n_files, sizeof(char *)) = xstrdup("/etc/default/grub");
		gc_shell_parse(text, "/etc/default/grub", d);
		free(text);
	}
	/* Debian and Ubuntu's grub-mkconfig sources these after /etc/default/grub. */
	gc_list_dir(r, "/etc/default/grub.d", ".cfg", &names, &n);
	for (i = 0; i < n; i++) {
		char path[512];

		if (gc_pathf(path, sizeof(path), "/etc/default/grub.d/%s", names[i]) == 0 &&
		    read_text(r, path, &text) == 0) {
			*(char **)xappend(&d->files, &d->n_files, sizeof(char *)) = xstrdup(path);
			gc_shell_parse(text, path, d);
			free(text);
		}
		free(names[i]);
	}
	free(names);
}

static void probe_cfg(const struct gc_root *r, struct gc_bootcfg *b)
{
	static const char *const cfgs[] = { "/boot/grub/grub.cfg", "/boot/grub2/grub.cfg" };
	static const char *const envs[] = { "/boot/grub/grubenv", "/boot/grub2/grubenv" };
	size_t i;
	char *text;

	b->cfg.err = -ENOENT;
	for (i = 0; i < ARRAY_SIZE(cfgs); i++) {
		b->cfg.err = read_text(r, cfgs[i], &text);
		if (b->cfg.err == -ENOENT)
			continue;
		b->cfg.path = xstrdup(cfgs[i]);
		if (!b->cfg.err) {
			gc_grub_cfg_parse(text, &b->cfg);
			free(text);
		}
		break;
	}
	b->env_err = -ENOENT;
	for (i = 0; i < ARRAY_SIZE(envs); i++) {
		b->env_err = read_text(r, envs[i], &text);
		if (b->env_err == -ENOENT)
			continue;
		b->env_path = xstrdup(envs[i]);
		if (!b->env_err) {
			gc_grubenv_parse(text, &b->env);
			free(text);
		}
		break;
	}
}

static void probe_bls(const struct gc_root *r, struct gc_bootcfg *b)
{
	static const char *const dirs[] = { "/boot/loader/entries", "/efi/loader/entries",
					    "/boot/efi/loader/entries" };
	char **names = NULL;
	size_t i, n = 0;

	b->bls_err = -ENOENT;
	for (i = 0; i < ARRAY_SIZE(dirs) && b->bls_err == -ENOENT; i++) {
		b->bls_err = gc_list_dir(r, dirs[i], ".conf", &names, &n);
		if (b->bls_err != -ENOENT)
			b->bls_dir = dirs[i];
	}
	for (i = 0; i < n; i++) {
		char path[512], *text;

		if (gc_pathf(path, sizeof(path), "%s/%s", b->bls_dir, names[i]) == 0 &&
		    read_text(r, path, &text) == 0) {
			names[i][strlen(names[i]) - 5] = '\0';
			gc_bls_parse(text, names[i], xappend(&b->bls, &b->n_bls, sizeof(*b->bls)));
			free(text);
		}
		free(names[i]);
	}
	free(names);
	if (b->n_bls)
		qsort(b->bls, b->n_bls, sizeof(*b->bls), bls_cmp);
}

int gc_bootcfg_probe(const struct gc_root *r, struct gc_bootcfg *out)
{
	char *p;

	*out = (struct gc_bootcfg){ 0 };
	probe_defaults(r, &out->defaults);
	probe_cfg(r, out);
	probe_bls(r, out);
	out->kernel_cmdline_err = read_text(r, "/etc/kernel/cmdline", &out->kernel_cmdline);
	if (!out->kernel_cmdline_err) {
		for (p = out->kernel_cmdline; *p; p++)
			if (*p == '\n' || *p == '\t')
				*p = ' ';
		strstrip_right(out->kernel_cmdline);
	}
	return 0;
}

void gc_bootcfg_free(struct gc_bootcfg *b)
{
	size_t i;

	defaults_free(&b->defaults);
	cfg_free(&b->cfg);
	defaults_free(&b->env);
	free(b->env_path);
	for (i = 0; i < b->n_bls; i++)
		bls_entry_free(&b->bls[i]);
	free(b->bls);
	free(b->kernel_cmdline);
	*b = (struct gc_bootcfg){ 0 };
}

/* ---- the default entry ---- */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool item_matches(const char *sel, int index, const char *title, const char *id)
{
	if (all_digits(sel))
		return strtol(sel, NULL, 10) == index;
	return streq(sel, title) || streq(sel, id);
}

/* GRUB's get_entry_number over the generated menu: "N", "title", "id", "submenu>entry". */
static const struct gc_grub_entry *cfg_lookup(const struct gc_grub_cfg *c, const char *sel)
{
	const char *gt = strchr(sel, '>');
	size_t i;

	if (gt) {
		char *outer = xstrndup(sel, (size_t)(gt - sel));
		const struct gc_grub_entry *hit = NULL;

		for (i = 0; i < c->n && !hit; i++)
			if (c->e[i].parent && item_matches(outer, c->e[i].top_index, c->e[i].parent, c->e[i].parent_id) &&
			    item_matches(gt + 1, c->e[i].sub_index, c->e[i].title, c->e[i].id))
				hit = &c->e[i];
		free(outer);
		return hit;
	}
	for (i = 0; i < c->n; i++)
		if (!c->e[i].parent && item_matches(sel, c->e[i].top_index, c->e[i].title, c->e[i].id))
			return &c->e[i];
	return NULL;
}

static const struct gc_bls_entry *bls_lookup(const struct gc_bootcfg *b, const char *sel)
{
	size_t i;

	for (i = 0; i < b->n_bls; i++)
		if (all_digits(sel) ? strtol(sel, NULL, 10) == (long)i
				    : streq(sel, b->bls[i].id) || streq(sel, b->bls[i].title))
			return &b->bls[i];
	return NULL;
}

static int resolve_default(const struct gc_bootcfg *b, const struct gc_grub_defaults *vars,
			   struct gc_boot_default *out)
{
	const struct gc_shvar *saved = gc_shvar_get(&b->env, "saved_entry");
	const char *sel, *how_sel;
	char selbuf[128];

	*out = (struct gc_boot_default){ 0 };
	if (b->cfg.err && !b->n_bls)
		return -ENOENT;
	sel = b->cfg.err ? NULL : b->cfg.set_default;
	how_sel = "grub.cfg: set default";
	if (sel && (streq(sel, "${saved_entry}") || streq(sel, "$saved_entry"))) {
		sel = saved && saved->value[0] ? saved->value : "0";
		how_sel = saved && saved->value[0] ? "grubenv: saved_entry" : "grubenv: no saved_entry, so 0";
	}
	if (!sel) {
		sel = "0";
		how_sel = b->cfg.err ? "no grub.cfg; the first entry" : "grub.cfg sets no default, so 0";
	}
	snprintf(selbuf, sizeof(selbuf), "%s", sel);
	if (!b->cfg.err && !b->cfg.blscfg) {
		const struct gc_grub_entry *e = cfg_lookup(&b->cfg, selbuf);

		if (!e) {
			snprintf(out->how, sizeof(out->how), "%s \"%s\" names no entry of %s", how_sel, selbuf,
				 b->cfg.path);
			return -EINVAL;
		}
		if (!e->kernel) {
			snprintf(out->how, sizeof(out->how), "%s \"%s\": entry \"%s\" boots no Linux kernel",
				 how_sel, selbuf, e->title);
			return -EINVAL;
		}
		out->source = b->cfg.path;
		out->kernel = e->kernel;
		out->args = gc_grubenv_expand(vars, e->args ? e->args : "", &out->undefined);
		snprintf(out->how, sizeof(out->how), "%s \"%s\": entry \"%s\"", how_sel, selbuf, e->title);
		return 0;
	}
	if (b->n_bls) {
		const struct gc_bls_entry *e = bls_lookup(b, selbuf);

		if (!e) {
			snprintf(out->how, sizeof(out->how), "%s \"%s\" names no entry in %s", how_sel, selbuf,
				 b->bls_dir);
			return -EINVAL;
		}
		snprintf(out->source_buf, sizeof(out->source_buf), "%s/%s.conf", b->bls_dir, e->id);
		out->source = out->source_buf;
		out->kernel = e->kernel;
		out->args = gc_grubenv_expand(vars, e->options ? e->options : "", &out->undefined);
		snprintf(out->how, sizeof(out->how), "%s \"%s\": BLS entry %s (newest first, as blscfg sorts)",
			 how_sel, selbuf, e->id);
		return 0;
	}
	snprintf(out->how, sizeof(out->how), "%s runs blscfg but there are no BLS entries", b->cfg.path);
	return -EINVAL;
}

/* grub.cfg's own `set NAME=` values, with grubenv's (load_env) over them. */
static void menu_vars(const struct gc_bootcfg *b, struct gc_grub_defaults *vars)
{
	const struct gc_grub_defaults *src[] = { &b->cfg.vars, &b->env };
	size_t i, j;

	*vars = (struct gc_grub_defaults){ 0 };
	for (i = 0; i < ARRAY_SIZE(src); i++)
		for (j = 0; j < src[i]->n; j++) {
			struct gc_shvar *v = shvar_set(vars, src[i]->v[j].name, strlen(src[i]->v[j].name));

			free(v->value);
			v->value = xstrdup(src[i]->v[j].value);
		}
}

int gc_boot_default(const struct gc_bootcfg *b, struct gc_boot_default *out)
{
	struct gc_grub_defaults vars;
	int ret;

	menu_vars(b, &vars);
	ret = resolve_default(b, &vars, out);
	defaults_free(&vars);
	return ret;
}

void gc_boot_default_free(struct gc_boot_default *d)
{
	free(d->args);
	free(d->undefined);
	d->args = d->undefined = NULL;
}
