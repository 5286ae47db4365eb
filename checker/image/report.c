// SPDX-License-Identifier: GPL-2.0-or-later
/* What the reports say of an image: its kernels and the one judged. Renders, decides nothing. */
#include <json-c/json.h>

#include "image.h"
#include "../report/report.h"

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

void gc_image_json(struct json_object *root, const struct gc_image *im)
{
	const struct gc_image_kernel *def = gc_image_default(im);
	json_object *o = json_object_new_object(), *ks = json_object_new_array();
	size_t i;

	json_object_object_add(root, "sysroot", json_object_new_string(im->dir));
	json_object_object_add(root, "privileged", json_object_new_boolean(false));
	for (i = 0; i < im->n_k; i++) {
		json_object *k = json_object_new_object();

		json_object_object_add(k, "release", json_object_new_string(im->k[i].release));
		json_object_object_add(k, "image", str_or_null(im->k[i].image));
		json_object_object_add(k, "modules", json_object_new_boolean(im->k[i].moddir));
		json_object_array_add(ks, k);
	}
	json_object_object_add(o, "kernels", ks);
	json_object_object_add(o, "default_kernel", def ? json_object_new_string(def->release) : NULL);
	json_object_object_add(o, "default_from", json_object_new_string(im->def_how));
	json_object_object_add(o, "default_assumed", json_object_new_boolean(im->def_assumed));
	json_object_object_add(o, "hyperv_sign", str_or_null(im->hyperv_sign));
	json_object_object_add(root, "image", o);
}

void gc_image_header(FILE *out, const struct gc_image *im)
{
	const struct gc_image_kernel *def = gc_image_default(im);
	size_t i, others = 0;

	fprintf(out, "aic-guestcheck %s · image %s · ", PROJECT_VERSION, im->dir);
	if (def)
		fprintf(out, "boots Linux %s%s\n", def->release, im->def_assumed ? " (assumed)" : "");
	else
		fprintf(out, "no kernel to boot\n");
	for (i = 0; i < im->n_k; i++)
		if ((ssize_t)i != im->def)
			fprintf(out, "%s%s", others++ ? ", " : "also installed: ", im->k[i].release);
	if (others)
		fputc('\n', out);
	fputc('\n', out);
}
