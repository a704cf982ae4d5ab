"""A synthetic table with two wide ID columns, for the memory measurement in README.md.

73,000 answers of 5,000 students to 5,000 items: student_id and item_id (about 5,000 levels each), two
numeric columns and a weekday; the target `grade` (1..5) rises with the student's ability and falls with the
item's difficulty. Seeded; writes wide_ids.csv (about 2.5 MB) to the folder given (default: here).

    /usr/bin/python3 docs/memory/make_wide_table.py /tmp
"""
import sys
from pathlib import Path

import numpy as np

rng = np.random.default_rng(8)
rows, students, items = 73_000, 5_000, 5_000
ability = rng.normal(size=students)
difficulty = rng.normal(size=items)
student = rng.integers(0, students, rows)
item = rng.integers(0, items, rows)
minutes = rng.gamma(2.0, 10.0, rows)
attempts = rng.integers(1, 4, rows)
day = rng.choice(["Mon", "Tue", "Wed", "Thu", "Fri"], rows)
latent = ability[student] - difficulty[item] - 0.02 * (minutes - 20) + rng.normal(scale=0.7, size=rows)
grade = np.digitize(latent, [-1.2, -0.4, 0.4, 1.2]) + 1

out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent) / "wide_ids.csv"
with open(out, "w") as f:
    f.write("student_id,item_id,minutes,attempts,day,grade\n")
    for s, i, m, a, d, g in zip(student, item, minutes, attempts, day, grade):
        f.write(f"S{s:05d},I{i:05d},{m:.1f},{a},{d},{g}\n")
print(out, rows, "rows,", len(set(student)), "students,", len(set(item)), "items")
