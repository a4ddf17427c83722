/* dp_mathconv: TeX -> MathML -> TeX on the subset, the canonical reading of
 * <math> elements (prefix, namespace, annotation, alttext), and refusals
 * that name the construct. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "check.h"
#include "mathconv.h"

/* MathML of tex without its annotation, so that MathML -> TeX must work
 * from the presentation elements. */
static char *mathml_without_annotation(const char *tex)
{
    char *m = NULL;
    const char *what = NULL;
    if (mathconv_tex_to_mathml(tex, strlen(tex), 0, &m, &what) != 0) {
        fprintf(stderr, "TeX -> MathML refused %s: %s\n", tex, what ? what : "?");
        check_failures++;
        return NULL;
    }
    char *a = strstr(m, "<annotation");
    char *e = a ? strstr(a, "</annotation>") : NULL;
    if (a && e)
        memmove(a, e + strlen("</annotation>"), strlen(e + strlen("</annotation>")) + 1);
    return m;
}

/* tex -> MathML -> TeX gives want. */
static void round_trip(const char *tex, const char *want)
{
    char *m = mathml_without_annotation(tex), *back = NULL;
    const char *what = NULL;
    if (!m)
        return;
    int rc = mathconv_mathml_to_tex(m, strlen(m), &back, &what);
    if (rc != 0 || strcmp(back, want) != 0) {
        fprintf(stderr, "%s\n  -> %s\n  -> %s (want %s; %s)\n", tex, m, back ? back : "(none)", want,
                what ? what : "");
        check_failures++;
    }
    free(m);
    free(back);
}

static void contains(const char *tex, int display, const char *part)
{
    char *m = NULL;
    const char *what = NULL;
    int rc = mathconv_tex_to_mathml(tex, strlen(tex), display, &m, &what);
    if (rc != 0 || !strstr(m, part)) {
        fprintf(stderr, "%s -> %s, wanted %s (%s)\n", tex, m ? m : "(refused)", part, what ? what : "");
        check_failures++;
    }
    free(m);
}

static void refused(const char *tex, const char *construct)
{
    char *m = NULL;
    const char *what = NULL;
    int rc = mathconv_tex_to_mathml(tex, strlen(tex), 0, &m, &what);
    if (rc != -1 || m || !what || strcmp(what, construct) != 0) {
        fprintf(stderr, "%s: rc %d, construct %s (want refused: %s)\n", tex, rc, what ? what : "(none)", construct);
        check_failures++;
    }
    free(m);
}

static void read_math(const char *xml, int html, const char *want_mathml, const char *want_tex, const char *want_alt,
                      int want_display)
{
    xmlDocPtr doc = html ? (xmlDocPtr)htmlReadMemory(xml, (int)strlen(xml), NULL, "UTF-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING)
                         : xmlReadMemory(xml, (int)strlen(xml), NULL, "UTF-8", 0);
    xmlNodePtr n = xmlDocGetRootElement(doc);
    while (n && !mathconv_is_math(n)) /* depth-first to the first <math> */
        n = n->children ? n->children : n->next ? n->next : n->parent ? n->parent->next : NULL;
    CHECK(n != NULL);
    mathconv_read r;
    if (n && mathconv_read_math(n, &r) == 0) {
        if (strcmp(r.mathml, want_mathml) != 0) {
            fprintf(stderr, "read %s\n  got  %s\n  want %s\n", xml, r.mathml, want_mathml);
            check_failures++;
        }
        CHECK(want_tex ? r.tex && strcmp(r.tex, want_tex) == 0 : !r.tex);
        CHECK(want_alt ? r.alt && strcmp(r.alt, want_alt) == 0 : !r.alt);
        CHECK(r.display == want_display);
        mathconv_read_free(&r);
    }
    xmlFreeDoc(doc);
}



int main(void)
{
    round_trip("x", "x");
    round_trip("\\frac{a}{b}", "\\frac{a}{b}");
    round_trip("\\sqrt{x}", "\\sqrt{x}");
    round_trip("\\sqrt[3]{x}", "\\sqrt[3]{x}");
    round_trip("x_i^2", "x_{i}^{2}");
    round_trip("e^{i\\pi}", "e^{i\\pi}");
    round_trip("\\alpha\\beta", "\\alpha\\beta");
    round_trip("\\alpha x", "\\alpha x");
    round_trip("a \\le b", "a\\le b");
    round_trip("\\sin x", "\\sin x");
    round_trip("\\mathbb{R}", "\\mathbb{R}");
    round_trip("\\hat{x}", "\\hat{x}");
    round_trip("\\text{if }", "\\text{if}\\ "); /* the space is an mspace */
    round_trip("\\text{costs \\$5}", "\\text{costs \\$5}");
    round_trip("a\\,b\\quad c", "a\\,b\\quad c");
    round_trip("\\sum_{i=1}^{n} i", "\\sum_{i=1}^{n}i");
    round_trip("\\begin{matrix} a & b \\\\ c & d \\end{matrix}", "\\begin{matrix}a & b \\\\ c & d\\end{matrix}");
    round_trip("x - 1", "x-1");
    round_trip("f'", "f'");
    round_trip("\\{1\\}", "\\{1\\}");

    contains("\\frac{a}{b}", 0, "<mfrac><mi>a</mi><mi>b</mi></mfrac>");
    contains("x", 1, "display=\"block\"");
    contains("a<b", 0, "<mo>&lt;</mo>");
    contains("\\left( x \\right)", 0, "<mo fence=\"true\" stretchy=\"true\">(</mo><mi>x</mi><mo fence=\"true\" stretchy=\"true\">)</mo>");
    contains("\\begin{pmatrix} 1 \\end{pmatrix}", 0, "<mtable><mtr><mtd><mn>1</mn></mtd></mtr></mtable>");
    contains("a\\,b  \\;", 0, "<annotation encoding=\"application/x-tex\">a\\,b  \\;</annotation>");
    contains("\\mathbb{R}", 0, "<mi mathvariant=\"double-struck\">R</mi>");

    refused("\\begin{align} x \\end{align}", "\\begin{align}");
    refused("\\foo x", "\\foo");
    refused("{x", "an unclosed {");
    refused("\\left( x", "\\left without \\right");

    /* MathML -> TeX: the annotation wins; unknown elements are refused */
    char *t = NULL;
    const char *what = NULL;
    const char *ann = "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><semantics><mi>x</mi>"
                      "<annotation encoding=\"application/x-tex\">x\\,  </annotation></semantics></math>";
    CHECK(mathconv_mathml_to_tex(ann, strlen(ann), &t, &what) == 0 && strcmp(t, "x\\,  ") == 0);
    free(t);
    const char *ms = "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><maction><mi>x</mi></maction></math>";
    CHECK(mathconv_mathml_to_tex(ms, strlen(ms), &t, &what) == -1 && what && strcmp(what, "<maction>") == 0);
    CHECK(mathconv_mathml_to_tex("<p/>", 4, &t, &what) == -1);

    /* reading <math> elements */
    read_math("<p xmlns:m=\"http://www.w3.org/1998/Math/MathML\"><m:math display=\"block\" alttext=\"x\"><m:mi>x</m:mi></m:math></p>",
              0, "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\" alttext=\"x\"><mi>x</mi></math>", NULL, "x", 1);
    read_math("<html><body><p><math><semantics><mrow><mi>x</mi><mspace width=\"1em\"/><mi>y</mi></mrow>"
              "<annotation encoding=\"application/x-tex\">x\\quad y</annotation></semantics></math></p></body></html>",
              1, "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><semantics><mrow><mi>x</mi><mspace width=\"1em\"/><mi>y</mi></mrow>"
                 "<annotation encoding=\"application/x-tex\">x\\quad y</annotation></semantics></math>", "x\\quad y", NULL, 0);
    read_math("<html><body><p><m:math xmlns:m=\"http://www.w3.org/1998/Math/MathML\" aria-label=\"one\"><m:mn>1</m:mn></m:math></p></body></html>",
              1, "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" aria-label=\"one\"><mn>1</mn></math>", NULL, "one", 0);

    CHECK_EXIT();
}
