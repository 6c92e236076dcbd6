// Lists every pte_/pmd_/pud_/ptep_/pmdp_/pudp_ call: the bench compares mmlens (which does far
// more) against the time Coccinelle takes just to find them.
@r@
identifier f =~ "^(pte|pmd|pud|ptep|pmdp|pudp)_";
expression list args;
position p;
@@
f(args)@p

@script:python depends on r@
f << r.f;
p << r.p;
@@
print("%s:%s: %s" % (p[0].file, p[0].line, f))
