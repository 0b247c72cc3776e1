"""Reads an Odoo test log and prints "N passed, N failed" as its last line.

Exit status: 0 only when every test passed and the log holds no ERROR or
CRITICAL line, no traceback, no WARNING from beauty_crm, and Odoo exited 0.
"""

import re
import sys

REPORT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading")
PROBLEM = re.compile(
    r"^\S+ \S+ \d+ (ERROR|CRITICAL) |^Traceback |"
    r"^\S+ \S+ \d+ WARNING \S+ odoo\.addons\.beauty_crm"
)


def main(path, odoo_rc):
    report = None
    problems = []
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if match := REPORT.search(line):
                report = tuple(int(n) for n in match.groups())
            elif PROBLEM.search(line):
                problems.append(line.rstrip())
    for line in problems[:50]:
        print(line)
    if report is None:
        print("No test report in the log: Odoo stopped before the tests ended.")
        report = (0, 0, 0)
    failed_tests = report[0] + report[1]
    failed = failed_tests or len(problems) or (odoo_rc != 0 or report[2] == 0)
    print(f"{report[2] - failed_tests} passed, {int(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0))
