"""What the figures page is made of: sections of numbers and charts, plain data (cached, rendered, exported)."""

from dataclasses import dataclass, field

from liaison.charts import Chart


@dataclass
class Figure:
    key: str
    label: str
    value: int | float | None
    rate: bool = False  # a share in [0, 1], shown as a percentage

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        if self.rate:
            return f"{self.value * 100:.1f}%"
        return f"{self.value:,}" if isinstance(self.value, int) else str(self.value)


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    @classmethod
    def from_hook(cls, raw: dict) -> "Section":
        return cls(
            key=str(raw["key"]),
            title=str(raw.get("title", raw["key"])),
            figures=[
                Figure(str(f["key"]), str(f.get("label", f["key"])), f.get("value"), bool(f.get("rate")))
                for f in raw.get("figures", [])
            ],
            charts=[
                Chart(
                    str(c["key"]),
                    str(c.get("title", c["key"])),
                    c.get("kind", "bars"),
                    [(str(label), value) for label, value in c.get("rows", [])],
                )
                for c in raw.get("charts", [])
            ],
            data=dict(raw.get("data", {})),
        )
