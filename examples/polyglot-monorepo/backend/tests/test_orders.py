import unittest

from app.orders import Line, total_cents


class TotalTest(unittest.TestCase):
    def test_sums_lines(self) -> None:
        self.assertEqual(total_cents([Line("a", 2, 150), Line("b", 1, 99)]), 399)

    def test_discount(self) -> None:
        self.assertEqual(total_cents([Line("a", 1, 1000)], 10), 900)

    def test_rejects_bad_discount(self) -> None:
        with self.assertRaises(ValueError):
            total_cents([], 101)


if __name__ == "__main__":
    unittest.main()
