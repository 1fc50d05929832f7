/* test-html.c: depeche-serve's escaping (serve/html.c), table-driven. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "tap.h"

/* What fn writes for s, as a malloc()ed string. */
static char *written(void (*fn)(FILE *, const char *), const char *s)
{
	sv_buf b;
	size_t len;
	if (sv_buf_open(&b) != 0)
		return NULL;
	fn(b.f, s);
	return sv_buf_take(&b, &len);
}

static char *marked(const char *text, const dp_highlight *hl, size_t n,
                    int skip_small)
{
	dp_snippet s = {0};
	s.text = (char *)text;
	s.len = strlen(text);
	s.hl = (dp_highlight *)hl;
	s.n_hl = n;
	sv_buf b;
	size_t len;
	if (sv_buf_open(&b) != 0)
		return NULL;
	sv_html_marked_opt(b.f, &s, skip_small);
	return sv_buf_take(&b, &len);
}

static void url_arg_pair(FILE *f, const char *v)
{
	int first = 1;
	sv_url_arg(f, &first, "q", v);
	sv_url_arg(f, &first, "p", "x y");
	sv_url_arg(f, &first, "empty", "");
}

int main(void)
{
	static const struct {
		const char *in, *html, *url;
	} cases[] = {
		{"Bout", "Bout", "Bout"},
		{"<script>alert(1)</script>",
		 "&lt;script&gt;alert(1)&lt;/script&gt;",
		 "%3Cscript%3Ealert%281%29%3C%2Fscript%3E"},
		{"\"><img src=x onerror=alert(1)>",
		 "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
		 "%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E"},
		{"l'Ukraine & « la Russie »", "l&#39;Ukraine &amp; « la Russie »",
		 "l%27Ukraine%20%26%20%C2%AB%20la%20Russie%20%C2%BB"},
		{"a\x01" "b\x7f" "c\td", "abc\td", "a%01b%7Fc%09d"},
		{"", "", ""},
	};
	size_t n = sizeof cases / sizeof *cases;
	plan((int)(2 * n + 7));
	for (size_t i = 0; i < n; i++) {
		char *h = written(sv_html, cases[i].in);
		is_str(h, cases[i].html, "sv_html %zu", i);
		free(h);
		char *u = written(sv_url, cases[i].in);
		is_str(u, cases[i].url, "sv_url %zu", i);
		free(u);
	}
	char *a = written(url_arg_pair, "Viktor Bout");
	is_str(a, "?q=Viktor%20Bout&amp;p=x%20y", "sv_url_arg: ? then &amp;, "
	       "empty values left out");
	free(a);

	/* "Viktor Bout": two highlights side by side make one mark */
	const char *t = "le Russe Viktor Bout, <libéré>";
	dp_highlight two[] = {{9, 15}, {16, 20}};
	char *m = marked(t, two, 2, 0);
	is_str(m, "le Russe <mark>Viktor Bout</mark>, &lt;libéré&gt;",
	       "adjacent highlights are one mark, the rest escaped");
	free(m);
	dp_highlight apart[] = {{0, 2}, {9, 15}};
	m = marked(t, apart, 2, 0);
	is_str(m, "<mark>le</mark> Russe <mark>Viktor</mark> Bout, "
	       "&lt;libéré&gt;", "highlights apart stay apart");
	free(m);
	m = marked(t, apart, 2, 1);
	is_str(m, "le Russe <mark>Viktor</mark> Bout, &lt;libéré&gt;",
	       "skip_small leaves 'le' unmarked");
	free(m);
	dp_highlight bad[] = {{9, 15}, {12, 14}, {25, 99}};
	m = marked(t, bad, 3, 0);
	is_str(m, "le Russe <mark>Viktor</mark> Bout, &lt;libéré&gt;",
	       "overlapping and out-of-range highlights are ignored");
	free(m);
	dp_highlight inside[] = {{22, 23}};
	m = marked(t, inside, 1, 0);
	is_str(m, "le Russe Viktor Bout, <mark>&lt;</mark>libéré&gt;",
	       "a marked '<' is escaped inside the mark");
	free(m);
	m = marked("", NULL, 0, 0);
	is_str(m, "", "an empty snippet writes nothing");
	free(m);
	return done_testing();
}
