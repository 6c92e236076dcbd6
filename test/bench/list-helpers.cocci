// Lists every pte_/pmd_/pud_/ptep_/pmdp_/pudp_ call, one "file:line: name" per line: the bench
// times this against mmlens check (which does far more) over the same files.
@r@
identifier f =~ "^(pte|pmd|pud|ptep|pmdp|pudp)_";
expression list args;
position p;
@@
f@p(args)

@script:python depends on r@
f << r.f;
p << r.p;
@@
print("%s:%s: %s" % (p[0].file, p[0].line, f))
