package io.basalt.node.engine;

import java.util.Comparator;

/**
 * Redis's pqsort: Bentley and McIlroy's quicksort ("Engineering a Sort Function", 1993) that
 * only recurses into the parts overlapping the ranks [lrange, rrange], so those ranks end up
 * sorted and the rest only partitioned. GEORADIUS/GEOSEARCH use it when COUNT keeps fewer
 * points than were found; it is not stable, so which of several points at an equal distance come
 * first depends on this exact sequence of comparisons and swaps, which is why it is reproduced
 * step by step rather than replaced by a library sort.
 */
final class PartialSort {

    private PartialSort() {}

    /** Sorts a[0, n) enough that ranks [lrange, rrange] are in order, as Redis's pqsort. */
    static <T> void sort(T[] a, int n, Comparator<? super T> cmp, int lrange, int rrange) {
        sort(a, 0, n, cmp, lrange, rrange);
    }

    private static <T> void sort(T[] a, int base, int n, Comparator<? super T> cmp, int lrange, int rrange) {
        while (true) {
            if (n < 7) {
                insertionSort(a, base, n, cmp);
                return;
            }
            int pm = base + n / 2;
            if (n > 7) {
                int pl = base;
                int pn = base + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
                    pm = med3(a, pm - d, pm, pm + d, cmp);
                    pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
                }
                pm = med3(a, pl, pm, pn, cmp);
            }
            swap(a, base, pm);
            int pa = base + 1;
            int pb = pa;
            int pc = base + n - 1;
            int pd = pc;
            boolean swapped = false;
            while (true) {
                int c;
                while (pb <= pc && (c = cmp.compare(a[pb], a[base])) <= 0) {
                    if (c == 0) {
                        swapped = true;
                        swap(a, pa++, pb);
                    }
                    pb++;
                }
                while (pb <= pc && (c = cmp.compare(a[pc], a[base])) >= 0) {
                    if (c == 0) {
                        swapped = true;
                        swap(a, pc, pd--);
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(a, pb++, pc--);
                swapped = true;
            }
            if (!swapped) { // already partitioned around the pivot: finish by insertion
                insertionSort(a, base, n, cmp);
                return;
            }
            int end = base + n;
            int r = Math.min(pa - base, pb - pa);
            vecswap(a, base, pb - r, r);
            r = Math.min(pd - pc, end - pd - 1);
            vecswap(a, pb, end - r, r);
            // The part below the pivot(s), then the part above; a part that does not overlap the
            // wanted ranks is left unsorted.
            if ((r = pb - pa) > 1 && overlaps(base, r, lrange, rrange)) {
                sort(a, base, r, cmp, lrange, rrange);
            }
            if ((r = pd - pc) > 1) {
                base = end - r;
                n = r;
                if (overlaps(base, n, lrange, rrange)) {
                    continue;
                }
            }
            return;
        }
    }

    /** Whether [from, from + n) is not wholly before or wholly after [lrange, rrange]. */
    private static boolean overlaps(int from, int n, int lrange, int rrange) {
        boolean before = lrange < from && rrange < from;
        boolean after = lrange >= from + n && rrange >= from + n;
        return !(before || after);
    }

    private static <T> void insertionSort(T[] a, int base, int n, Comparator<? super T> cmp) {
        for (int pm = base + 1; pm < base + n; pm++) {
            for (int pl = pm; pl > base && cmp.compare(a[pl - 1], a[pl]) > 0; pl--) {
                swap(a, pl, pl - 1);
            }
        }
    }

    private static <T> int med3(T[] a, int i, int j, int k, Comparator<? super T> cmp) {
        return cmp.compare(a[i], a[j]) < 0
            ? (cmp.compare(a[j], a[k]) < 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? k : i))
            : (cmp.compare(a[j], a[k]) > 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? i : k));
    }

    private static <T> void swap(T[] a, int i, int j) {
        T t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Swaps the n elements from i with the n elements from j, pairwise in order. */
    private static <T> void vecswap(T[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            swap(a, i + k, j + k);
        }
    }
}
