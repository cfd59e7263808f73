"""Draft texts shaped like the ones people paste (法规草案征求意见稿), for the splitter and the story test."""

from legislation.splitter import int_to_chinese

REAL_SHAPED = """商洛市物业管理条例（草案征求意见稿）

目　　录
第一章　总则
第二章　业主、业主大会和业主委员会
　第一节　业主
　第二节　业主大会
第三章　附则

第一章　总　　则

第一条　为了规范物业管理活动，维护业主、物业服务人的合法权益，根据《中华人民共和国民法典》等法律、行政法规，结合本市实际，制定本条例。
第二条　本条例适用于本市行政区域内的物业管理活动及其监督管理。
本条例所称物业管理，是指业主通过选聘物业服务人或者自行管理等方式，对物业进行维修、养护、管理的活动。
第三条　市、县（区）人民政府应当加强对物业管理工作的领导，履行下列职责：
（一）将物业管理纳入社区治理体系；
（二）建立物业管理协调机制；
（三）第五条规定的其他职责。
第三条之一　街道办事处、乡镇人民政府负责指导和监督本辖区内业主大会的成立和业主委员会的选举。
第三条之二　居（村）民委员会协助街道办事处、乡镇人民政府做好物业管理相关工作。

第二章　业主、业主大会和业主委员会
第一节　业主
第四条　房屋的所有权人为业主。
第五条　业主在物业管理活动中，享有下列权利：
1.按照物业服务合同的约定，接受物业服务人提供的服务；
2.提议召开业主大会会议；
第五条规定的权利，业主可以委托他人行使。
第二节　业主大会
第六条　一个物业管理区域成立一个业主大会。

第三章　附　　则
第七条　本条例自2027年1月1日起施行。
"""


def numbered_draft(n: int, *, chapters: int = 5, changed: dict[int, str] | None = None) -> str:
    """A draft of `n` articles in `chapters` chapters; `changed` replaces the text of some articles."""
    changed = changed or {}
    per = max(1, n // chapters)
    lines = ["某某市社区服务条例（草案）", ""]
    for i in range(1, n + 1):
        if (i - 1) % per == 0 and (i - 1) // per < chapters:
            c = (i - 1) // per + 1
            lines.append(f"第{int_to_chinese(c)}章　第{c}部分规定")
        text = changed.get(i, f"社区服务机构应当履行第{i}项职责，保障居民的合法权益。")
        lines.append(f"第{int_to_chinese(i)}条　{text}")
        if i % 10 == 0:
            lines += ["（一）建立服务台账；", "（二）公开办事流程。"]
    return "\n".join(lines)
