"""Demo content: service categories and step-by-step tutorials, as plain data.

Everything shown is an example: names, ID and phone numbers are masked (张**, 138****5678) and
amounts are invented. Screens follow the markup described in ``tutorials.demo.screens``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    badge: str
    colour: str
    description: str
    sort_order: int


@dataclass(frozen=True)
class Screen:
    app_name: str
    title: str
    lines: list[str]
    accent: tuple[int, int, int]
    highlight: str | None = None
    button: str | None = None
    subtitle: str | None = None

    def as_kwargs(self) -> dict[str, Any]:
        return {
            "app_name": self.app_name,
            "title": self.title,
            "subtitle": self.subtitle,
            "lines": list(self.lines),
            "highlight": self.highlight,
            "button": self.button,
            "accent": self.accent,
        }


@dataclass(frozen=True)
class Tip:
    kind: str  # "tip" or "warning"
    text: str


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    screen: Screen
    alt: str
    tip: Tip | None = None


@dataclass(frozen=True)
class Tutorial:
    slug: str
    title: str
    category: str
    audience: str
    estimated_minutes: int
    last_reviewed: date
    summary: str
    steps: list[Step]
    related: list[str] = field(default_factory=list)


CATEGORIES: list[Category] = [
    Category("shebao", "社保", "保", "blue", "养老、失业、工伤保险：查缴费记录、养老金资格认证、电子社保卡。", 10),
    Category("yibao", "医保", "医", "green", "医保电子凭证（医保码）、异地就医备案、医保账户和报销查询。", 20),
    Category("shuiwu", "税务", "税", "red", "个人所得税年度汇算、专项附加扣除填报、纳税记录查询。", 30),
    Category("huji", "户籍", "户", "purple", "户口、身份证、居住登记和居住证的网上办理。", 40),
    Category("gongjijin", "公积金", "金", "orange", "住房公积金的余额查询、租房和购房提取、贷款相关业务。", 50),
    Category("churujing", "出入境", "证", "teal", "护照、往来港澳台通行证的办理、换发和签注。", 60),
    Category("jiaotong", "交通", "车", "blue", "驾驶证、机动车和电动自行车登记、交通违法查询处理。", 70),
    Category("yiliao", "医疗", "诊", "teal", "网上预约挂号、查看检查报告、门诊缴费。", 80),
]

# Header colours of the apps the screens imitate.
RENSHE_BLUE = (28, 102, 214)
YIBAO_BLUE = (24, 119, 232)
TAX_RED = (200, 38, 38)
WECHAT_GREEN = (7, 176, 90)
HOSPITAL_TEAL = (0, 140, 130)
POLICE_BLUE = (22, 76, 160)
FUND_ORANGE = (222, 96, 30)
IMMIGRATION_BLUE = (18, 62, 140)
ALIPAY_BLUE = (22, 119, 255)
STORE_GREY = (72, 84, 102)

SMS_CODE_WARNING = Tip(
    "warning",
    "短信验证码只能您自己在这个页面里填写。任何人打电话、发消息向您要验证码，不管自称是客服、民警还是社保局，都是骗子，请直接挂断。",
)


def _store_screen(*, app: str, developer: str, about: str) -> Screen:
    return Screen(
        app_name="应用商店",
        title=app,
        subtitle=developer,
        lines=[f"开发者|{developer}", "类别|政务服务", "#应用介绍", about],
        accent=STORE_GREY,
        button="安装",
        highlight="安装",
    )


TUTORIALS: list[Tutorial] = [
    Tutorial(
        slug="check-social-insurance-payments",
        title="查询社保缴费记录",
        category="shebao",
        audience="everyone",
        estimated_minutes=5,
        last_reviewed=date(2025, 5, 12),
        summary="用人社部的“掌上12333”App，在手机上查看自己每个月的社保缴费记录，看看单位有没有按时足额缴纳。",
        steps=[
            Step(
                title="安装“掌上12333”App",
                text="打开手机自带的应用商店，搜索“掌上12333”，认准开发者是“人力资源和社会保障部”，点“安装”。"
                "装好后，手机桌面上会多一个蓝色的“掌上12333”图标。",
                screen=_store_screen(
                    app="掌上12333",
                    developer="人力资源和社会保障部",
                    about="社保查询、待遇资格认证、电子社保卡等人社服务",
                ),
                alt="应用商店里“掌上12333”的介绍页，开发者为人力资源和社会保障部，底部的“安装”按钮被红框圈出。",
                tip=Tip(
                    "tip",
                    "不要点短信或陌生网页里的下载链接，只在手机自带的应用商店里安装。实在不会装，可以请家人帮忙。",
                ),
            ),
            Step(
                title="用手机号登录",
                text="打开App，点右下角的“我的”，再点“登录/注册”。输入您的手机号，点“获取验证码”，"
                "把收到的短信验证码填进去。第一次使用还要按提示填写姓名、身份证号，并对着镜头“刷脸”确认是本人。",
                screen=Screen(
                    app_name="掌上12333",
                    title="登录",
                    subtitle="使用本人手机号登录",
                    lines=["手机号|138****5678", "验证码|请输入短信验证码", "!验证码只在本页填写，不要告诉任何人"],
                    accent=RENSHE_BLUE,
                    button="登录",
                    highlight="验证码",
                ),
                alt="掌上12333的登录页，有手机号和验证码两个输入框，“验证码”一栏被红框圈出，下方提示不要把验证码告诉任何人。",
                tip=SMS_CODE_WARNING,
            ),
            Step(
                title="点“参保缴费查询”",
                text="登录后回到首页，找到“社保查询”这一栏，点“参保缴费查询”。不同版本的名字可能略有不同，"
                "比如叫“缴费记录”或“参保缴费记录查询”，意思是一样的。",
                screen=Screen(
                    app_name="掌上12333",
                    title="首页",
                    subtitle="您好，张**",
                    lines=[
                        "@社保查询|待遇认证|电子社保卡|更多服务",
                        "#社保查询",
                        "参保信息查询",
                        "参保缴费查询",
                        "养老保险个人账户",
                    ],
                    accent=RENSHE_BLUE,
                    highlight="参保缴费查询",
                ),
                alt="掌上12333首页，上方是社保查询、待遇认证等图标，下方列表里的“参保缴费查询”被红框圈出并标着“点这里”。",
            ),
            Step(
                title="选择险种和年份",
                text="在页面上选择要查的险种，比如“企业职工基本养老保险”，再选择要看的年份，然后点“查询”。"
                "医疗、失业、工伤保险也可以换着查。",
                screen=Screen(
                    app_name="掌上12333",
                    title="参保缴费查询",
                    lines=["险种|企业职工基本养老保险", "参保地|本市", "查询年份|2024年"],
                    accent=RENSHE_BLUE,
                    button="查询",
                    highlight="查询",
                ),
                alt="参保缴费查询页，已选险种为企业职工基本养老保险、年份为2024年，底部的“查询”按钮被红框圈出。",
            ),
            Step(
                title="看懂缴费记录",
                text="结果按月份列出，每一行是一个月。显示“已实缴”说明这个月的钱已经交上了。"
                "如果某个月显示“未缴”或者是空的，可以带着这页记录问单位的人事部门，也可以拨打12333电话咨询。",
                screen=Screen(
                    app_name="掌上12333",
                    title="缴费记录",
                    subtitle="企业职工基本养老保险 · 2024年",
                    lines=[
                        "2024年12月|已实缴",
                        "2024年11月|已实缴",
                        "2024年10月|已实缴",
                        "2024年09月|已实缴",
                        "2024年08月|未缴",
                        "2024年07月|已实缴",
                    ],
                    accent=RENSHE_BLUE,
                    highlight="2024年08月",
                ),
                alt="2024年养老保险缴费记录，按月份列出，多数月份显示已实缴，2024年08月显示未缴并被红框圈出。",
                tip=Tip(
                    "tip", "需要盖章的参保证明，可以在当地人社部门的网上办事大厅申请，或者到社保大厅的自助机上打印。"
                ),
            ),
        ],
        related=["pension-eligibility-check", "activate-medical-insurance-code"],
    ),
    Tutorial(
        slug="pension-eligibility-check",
        title="领取养老金资格认证（刷脸）",
        category="shebao",
        audience="elderly",
        estimated_minutes=5,
        last_reviewed=date(2025, 4, 28),
        summary="领取养老金的老人一般每年要做一次资格认证。现在不用跑腿，在“掌上12333”App上刷脸几分钟就能完成，子女也可以用自己的手机帮忙。",
        steps=[
            Step(
                title="打开“待遇认证”",
                text="打开“掌上12333”App并登录，在首页点“待遇认证”（有的版本叫“社保待遇资格认证”）。",
                screen=Screen(
                    app_name="掌上12333",
                    title="首页",
                    subtitle="您好，李**",
                    lines=["@社保查询|待遇认证|电子社保卡|更多服务", "#为您推荐", "养老保险个人账户", "参保缴费查询"],
                    accent=RENSHE_BLUE,
                    highlight="待遇认证",
                ),
                alt="掌上12333首页，上方图标中的“待遇认证”被红框圈出并标着“点这里”。",
                tip=Tip(
                    "tip",
                    "不少地方会根据看病、乘车等记录自动完成认证。进入后如果显示“已认证”且还在有效期内，就不用再做了。",
                ),
            ),
            Step(
                title="选择“本人认证”或“帮他人认证”",
                text="用自己的手机给自己认证，点“本人认证”。子女用自己的手机帮父母认证，点“帮他人认证”，"
                "先添加老人的姓名和身份证号，再让老人本人对着手机刷脸。",
                screen=Screen(
                    app_name="掌上12333",
                    title="待遇资格认证",
                    subtitle="请选择认证方式",
                    lines=["本人认证", "帮他人认证", "认证记录查询", "!认证必须由领取待遇的本人刷脸完成"],
                    accent=RENSHE_BLUE,
                    highlight="本人认证",
                ),
                alt="待遇资格认证页，有本人认证、帮他人认证、认证记录查询三项，“本人认证”被红框圈出。",
            ),
            Step(
                title="核对信息，点“开始认证”",
                text="页面会显示您的姓名、身份证号（中间用星号遮住）和参保地。确认是您本人的信息后，点“开始认证”。",
                screen=Screen(
                    app_name="掌上12333",
                    title="核对信息",
                    lines=["姓名|李**", "证件号码|3301**********1234", "参保地|本市", "认证项目|养老保险待遇"],
                    accent=RENSHE_BLUE,
                    button="开始认证",
                    highlight="开始认证",
                ),
                alt="核对信息页，显示打了星号的姓名和证件号码、参保地和认证项目，底部的“开始认证”按钮被红框圈出。",
            ),
            Step(
                title="对着镜头刷脸",
                text="在光线亮的地方，把手机举到和脸一样高，摘下帽子和口罩，眼镜反光的话也先摘下来。"
                "让脸出现在圆圈里，按屏幕上的文字提示眨眨眼或张张嘴，直到提示成功。",
                screen=Screen(
                    app_name="掌上12333",
                    title="刷脸认证",
                    subtitle="请按提示完成动作",
                    lines=[
                        "#刷脸前请注意",
                        "摘下帽子、口罩和眼镜",
                        "找光线明亮的地方",
                        "手机正对脸，不要晃动",
                        "按提示眨眼或张嘴",
                    ],
                    accent=RENSHE_BLUE,
                    button="我知道了，开始刷脸",
                    highlight="我知道了，开始刷脸",
                ),
                alt="刷脸认证前的提示页，列出摘下帽子口罩、光线明亮、手机正对脸等注意事项，底部“我知道了，开始刷脸”按钮被红框圈出。",
                tip=Tip("tip", "光线太暗或手一直晃，容易认证失败。失败了不要着急，换个亮一点的地方多试几次。"),
            ),
            Step(
                title="看到“认证成功”就完成了",
                text="页面显示“认证成功”就办好了。认证一般在12个月内有效，快到期时App或社保部门会提醒您再认证一次。",
                screen=Screen(
                    app_name="掌上12333",
                    title="认证结果",
                    lines=["认证结果|认证成功", "认证时间|2025年03月18日", "有效期|12个月", "认证方式|本人刷脸认证"],
                    accent=RENSHE_BLUE,
                    button="返回首页",
                ),
                alt="认证结果页，显示认证成功、认证时间、有效期12个月和认证方式，底部有“返回首页”按钮。",
                tip=Tip(
                    "warning",
                    "资格认证是免费的。有人打电话说“不认证就停发养老金”，让您转账、交“手续费”或者报验证码，一定是诈骗，请挂断后打12333核实。",
                ),
            ),
        ],
        related=["check-social-insurance-payments", "medical-insurance-out-of-town"],
    ),
    Tutorial(
        slug="activate-medical-insurance-code",
        title="激活医保电子凭证（医保码）",
        category="yibao",
        audience="everyone",
        estimated_minutes=5,
        last_reviewed=date(2025, 5, 20),
        summary="医保电子凭证就是手机上的“医保码”。在医院和药店结账时出示它，就能用医保结算，不用带实体卡。用“国家医保服务平台”App几分钟就能激活。",
        steps=[
            Step(
                title="安装“国家医保服务平台”App",
                text="在手机应用商店搜索“国家医保服务平台”，认准开发者是“国家医疗保障局”，点“安装”。",
                screen=_store_screen(
                    app="国家医保服务平台",
                    developer="国家医疗保障局",
                    about="医保电子凭证、参保信息查询、异地就医备案等医保服务",
                ),
                alt="应用商店里“国家医保服务平台”的介绍页，开发者为国家医疗保障局，“安装”按钮被红框圈出。",
                tip=Tip("tip", "不想装App的话，也可以在微信或支付宝里搜索“医保电子凭证”来激活，步骤差不多。"),
            ),
            Step(
                title="用手机号注册登录",
                text="打开App，点“注册”，输入手机号，点“获取验证码”，把短信里的验证码填进去，再设置一个登录密码。",
                screen=Screen(
                    app_name="国家医保服务平台",
                    title="注册",
                    subtitle="使用本人手机号注册",
                    lines=[
                        "手机号|139****0021",
                        "验证码|请输入短信验证码",
                        "设置密码|请设置8-20位密码",
                        "!工作人员不会向您索要验证码",
                    ],
                    accent=YIBAO_BLUE,
                    button="注册",
                    highlight="验证码",
                ),
                alt="国家医保服务平台的注册页，有手机号、验证码、设置密码三栏，“验证码”一栏被红框圈出。",
                tip=SMS_CODE_WARNING,
            ),
            Step(
                title="实名认证",
                text="按提示填写您本人的姓名和身份证号，点“下一步”，再对着镜头刷脸，确认是您本人在操作。",
                screen=Screen(
                    app_name="国家医保服务平台",
                    title="实名认证",
                    lines=["姓名|请输入真实姓名", "身份证号|请输入身份证号", "!信息仅用于核验身份，请本人操作"],
                    accent=YIBAO_BLUE,
                    button="下一步：人脸识别",
                    highlight="下一步：人脸识别",
                ),
                alt="实名认证页，需要填写姓名和身份证号，底部“下一步：人脸识别”按钮被红框圈出。",
            ),
            Step(
                title="激活医保电子凭证",
                text="回到首页，点“医保电子凭证”，再点“激活”，按提示再刷一次脸。看到医保码就说明激活成功了。",
                screen=Screen(
                    app_name="国家医保服务平台",
                    title="首页",
                    subtitle="您好，王**",
                    lines=[
                        "@医保电子凭证|异地备案|亲情账户|目录查询",
                        "#常用服务",
                        "个人账户查询",
                        "参保信息查询",
                        "定点医药机构查询",
                    ],
                    accent=YIBAO_BLUE,
                    highlight="医保电子凭证",
                ),
                alt="国家医保服务平台首页，图标中的“医保电子凭证”被红框圈出并标着“点这里”。",
            ),
            Step(
                title="看病买药时出示医保码",
                text="在医院或药店结账时，打开App首页的“医保电子凭证”，把二维码给收费员扫一下，就能用医保结算。"
                "医保码会自动刷新，请当面出示。",
                screen=Screen(
                    app_name="国家医保服务平台",
                    title="医保电子凭证",
                    lines=["姓名|王**", "参保地|本市", "状态|已激活", "!请在收费窗口当面出示，二维码会自动刷新"],
                    accent=YIBAO_BLUE,
                    button="出示医保码",
                    highlight="出示医保码",
                ),
                alt="医保电子凭证页，显示姓名、参保地和已激活状态，底部“出示医保码”按钮被红框圈出。",
                tip=Tip(
                    "warning",
                    "不要把医保码截图发给别人，也不要把医保卡、医保码借给别人使用，这属于违规使用医保基金。",
                ),
            ),
            Step(
                title="帮家人添加“亲情账户”",
                text="在首页点“亲情账户”，再点“添加亲情账户”，填写家人的姓名和身份证号，按提示让家人本人刷脸授权。"
                "添加好以后，就能在您的手机上为父母或孩子出示医保码。",
                screen=Screen(
                    app_name="国家医保服务平台",
                    title="亲情账户",
                    subtitle="为家人出示医保码",
                    lines=["张**（父亲）|已授权", "李**（母亲）|已授权", "!添加时需要家人本人刷脸授权"],
                    accent=YIBAO_BLUE,
                    button="添加亲情账户",
                    highlight="添加亲情账户",
                ),
                alt="亲情账户页，列出两位已授权的家人，底部“添加亲情账户”按钮被红框圈出。",
            ),
        ],
        related=["medical-insurance-out-of-town", "book-hospital-appointment"],
    ),
    Tutorial(
        slug="annual-tax-reconciliation",
        title="个人所得税年度汇算（退税补税）",
        category="shuiwu",
        audience="workers",
        estimated_minutes=15,
        last_reviewed=date(2025, 3, 3),
        summary="每年3月1日到6月30日，可以在“个人所得税”App上办理上一年的综合所得年度汇算：多交了的税可以申请退回，少交了的要补上。",
        steps=[
            Step(
                title="登录“个人所得税”App",
                text="在应用商店安装“个人所得税”App，认准开发者是“国家税务总局”。第一次使用要注册：可以刷脸注册，"
                "也可以用在税务大厅拿到的注册码。之后用手机号或身份证号加密码登录。",
                screen=Screen(
                    app_name="个人所得税",
                    title="登录",
                    lines=[
                        "账号|请输入手机号或身份证号",
                        "密码|请输入登录密码",
                        "!认准国家税务总局官方App",
                    ],
                    accent=TAX_RED,
                    button="登录",
                    highlight="登录",
                ),
                alt="个人所得税App的登录页，需要输入账号和密码，底部的“登录”按钮被红框圈出。",
                tip=Tip(
                    "warning",
                    "退税只能在“个人所得税”App或税务局官方网站办理。收到“点击链接领取退税补贴”之类的短信或邮件，千万不要点，那是钓鱼网站。",
                ),
            ),
            Step(
                title="进入“综合所得年度汇算”",
                text="在首页找到“综合所得年度汇算”，点进去后点“开始申报”。3月初人多的时候可能需要先预约，按提示选一个日期就行。",
                screen=Screen(
                    app_name="个人所得税",
                    title="首页",
                    lines=[
                        "@我要办税|我要查询|公众服务|个人中心",
                        "#热门服务",
                        "综合所得年度汇算",
                        "专项附加扣除填报",
                        "收入纳税明细查询",
                    ],
                    accent=TAX_RED,
                    highlight="综合所得年度汇算",
                ),
                alt="个人所得税App首页，热门服务列表中的“综合所得年度汇算”被红框圈出并标着“点这里”。",
            ),
            Step(
                title="选“使用已申报数据填写”",
                text="选择填报方式时，推荐选“使用已申报数据填写”。单位替您申报过的工资等收入会自动填好，您只需要核对。",
                screen=Screen(
                    app_name="个人所得税",
                    title="综合所得年度汇算",
                    subtitle="2024年度",
                    lines=["使用已申报数据填写", "手动填写", "!推荐使用已申报数据，系统会预先填好收入"],
                    accent=TAX_RED,
                    highlight="使用已申报数据填写",
                ),
                alt="选择填报方式的页面，有“使用已申报数据填写”和“手动填写”两项，前者被红框圈出。",
            ),
            Step(
                title="核对收入",
                text="先确认任职受雇单位和汇缴地，再逐项看“收入”：工资薪金、劳务报酬等金额是否和您实际拿到的一致。"
                "如果有不认识的单位给您报了收入，可以点进去选择“申诉”。",
                screen=Screen(
                    app_name="个人所得税",
                    title="收入和税前扣除",
                    lines=[
                        "工资薪金|¥96,000.00",
                        "劳务报酬|¥0.00",
                        "稿酬|¥0.00",
                        "特许权使用费|¥0.00",
                        "专项扣除|¥10,080.00",
                    ],
                    accent=TAX_RED,
                    highlight="工资薪金",
                ),
                alt="收入和税前扣除页，列出工资薪金、劳务报酬、稿酬等金额，“工资薪金”一行被红框圈出。",
            ),
            Step(
                title="补填专项附加扣除",
                text="子女教育、赡养老人、住房贷款利息、住房租金、继续教育、大病医疗、3岁以下婴幼儿照护，"
                "符合条件的都可以扣除，能少交税。之前没填的，可以在这一步补填。",
                screen=Screen(
                    app_name="个人所得税",
                    title="专项附加扣除",
                    lines=[
                        "子女教育|¥24,000.00",
                        "赡养老人|¥36,000.00",
                        "住房租金|未填报",
                        "继续教育|未填报",
                        "大病医疗|未填报",
                    ],
                    accent=TAX_RED,
                    highlight="住房租金",
                ),
                alt="专项附加扣除页，子女教育和赡养老人已填金额，“住房租金”显示未填报并被红框圈出。",
                tip=Tip(
                    "tip",
                    "扣除项填得越全，退税可能越多，但必须真实。虚报的扣除会被税务局要求更正，情节严重的还会受处罚。",
                ),
            ),
            Step(
                title="提交并申请退税",
                text="核对无误后点“提交申报”。如果显示“应退税额”，点“申请退税”，选择您本人名下的银行卡，"
                "审核通过后钱会打到卡上。如果显示需要补税，按提示在线缴纳即可。",
                screen=Screen(
                    app_name="个人所得税",
                    title="申报结果",
                    lines=["应退税额|¥1,280.00", "退税银行卡|工商银行（尾号1234）", "!请选择本人名下的银行卡"],
                    accent=TAX_RED,
                    button="申请退税",
                    highlight="申请退税",
                ),
                alt="申报结果页，显示应退税额和尾号1234的退税银行卡，底部“申请退税”按钮被红框圈出。",
                tip=Tip("tip", "全年综合所得收入不超过12万元，或者需要补的税不超过400元的，可以不办理年度汇算补税。"),
            ),
        ],
        related=["withdraw-housing-fund", "check-social-insurance-payments"],
    ),
    Tutorial(
        slug="book-hospital-appointment",
        title="网上预约挂号",
        category="yiliao",
        audience="elderly",
        estimated_minutes=5,
        last_reviewed=date(2025, 6, 2),
        summary="在医院的微信公众号上提前预约挂号，选好科室、医生和时间，到医院就不用再排长队挂号了。",
        steps=[
            Step(
                title="关注医院的官方公众号",
                text="打开微信，点右上角的放大镜，输入医院的全名搜索，找到名字和医院一致、带认证标志的公众号，点“关注公众号”。"
                "很多城市也能在当地的健康App或“支付宝—城市服务”里统一预约。",
                screen=Screen(
                    app_name="微信",
                    title="市第一人民医院",
                    subtitle="公众号",
                    lines=[
                        "账号主体|市第一人民医院",
                        "认证|已认证",
                        "服务|预约挂号、报告查询、缴费",
                        "!认准认证标志，谨防假冒账号",
                    ],
                    accent=WECHAT_GREEN,
                    button="关注公众号",
                    highlight="关注公众号",
                ),
                alt="微信里市第一人民医院公众号的介绍页，显示账号主体和已认证，底部“关注公众号”按钮被红框圈出。",
            ),
            Step(
                title="添加就诊人",
                text="在公众号底部菜单点“预约挂号”。第一次使用要先“添加就诊人”，填写看病人的姓名、身份证号和手机号。"
                "子女也可以把父母添加为就诊人，帮他们挂号。",
                screen=Screen(
                    app_name="市第一人民医院",
                    title="预约挂号",
                    lines=["@预约挂号|报告查询|门诊缴费|排队叫号", "#就诊人", "添加就诊人", "我的预约"],
                    accent=HOSPITAL_TEAL,
                    highlight="添加就诊人",
                ),
                alt="医院预约挂号页，上方有预约挂号、报告查询等图标，下方的“添加就诊人”被红框圈出。",
                tip=Tip("warning", "身份证号只在医院官方公众号里填写。不要把家人的身份证照片发给陌生人或不认识的群。"),
            ),
            Step(
                title="选择科室",
                text="按哪里不舒服来选科室，比如头晕、手脚发麻可以选“神经内科”。拿不准挂哪个科，可以用公众号里的“智能导诊”，"
                "或者打医院电话问一问。",
                screen=Screen(
                    app_name="市第一人民医院",
                    title="选择科室",
                    lines=["#内科", "心血管内科", "神经内科", "消化内科", "#外科", "骨科", "普通外科"],
                    accent=HOSPITAL_TEAL,
                    highlight="神经内科",
                ),
                alt="选择科室页，按内科、外科分组列出科室，“神经内科”被红框圈出。",
            ),
            Step(
                title="选择医生和时间",
                text="页面会列出当天出诊的医生，显示“余号”的才能预约，显示“已约满”的要换一天或换一位医生。选好医生后，再选具体的时间段。",
                screen=Screen(
                    app_name="市第一人民医院",
                    title="神经内科",
                    subtitle="6月10日 周二",
                    lines=["王医生 主任医师|余号 3", "刘医生 副主任医师|余号 8", "赵医生 主治医师|已约满"],
                    accent=HOSPITAL_TEAL,
                    highlight="刘医生 副主任医师",
                ),
                alt="神经内科的医生列表，显示每位医生的职称和余号，“刘医生 副主任医师”一行被红框圈出。",
            ),
            Step(
                title="确认预约并支付挂号费",
                text="核对就诊人、科室、医生和时间，点“确认预约”。有的医院要在线先付挂号费，可以用医保电子凭证或微信支付。",
                screen=Screen(
                    app_name="市第一人民医院",
                    title="确认预约",
                    lines=[
                        "就诊人|张**",
                        "科室|神经内科",
                        "医生|刘医生",
                        "时间|周二 09:00-09:30",
                        "挂号费|¥25.00",
                    ],
                    accent=HOSPITAL_TEAL,
                    button="确认预约",
                    highlight="确认预约",
                ),
                alt="确认预约页，列出就诊人、科室、医生、时间和挂号费，底部“确认预约”按钮被红框圈出。",
                tip=Tip("warning", "网上收费“代挂专家号”的多是骗局，请只在医院官方渠道预约。"),
            ),
            Step(
                title="按时去医院就诊",
                text="预约成功后会收到提醒。看病当天提前15分钟到医院，在自助机或分诊台签到，然后等候叫号。",
                screen=Screen(
                    app_name="市第一人民医院",
                    title="预约成功",
                    lines=[
                        "就诊时间|周二 09:00-09:30",
                        "就诊地点|门诊楼3楼 神经内科",
                        "!请提前15分钟到达，凭医保码或身份证签到",
                    ],
                    accent=HOSPITAL_TEAL,
                    button="完成",
                ),
                alt="预约成功页，显示就诊时间和门诊楼3楼神经内科的就诊地点，提示提前15分钟到达签到。",
                tip=Tip("tip", "去不了的话，请提前在“我的预约”里取消。不少医院规定，多次预约不到会暂时不能网上预约。"),
            ),
        ],
        related=["activate-medical-insurance-code", "medical-insurance-out-of-town"],
    ),
    Tutorial(
        slug="apply-residence-permit",
        title="办理居住证",
        category="huji",
        audience="newcomers",
        estimated_minutes=10,
        last_reviewed=date(2025, 4, 15),
        summary="离开户口所在地，到别的城市居住半年以上，并且有稳定工作、稳定住所或在本地上学的，可以申领居住证，方便孩子上学、办理各种证件。很多城市都能网上申请。",
        steps=[
            Step(
                title="看看自己是否符合条件",
                text="一般要求：在本市已经办理居住登记，居住满半年；同时有合法稳定的工作、合法稳定的住所，"
                "或者在本市连续上学，三项满足一项即可。具体要求以当地公安机关公布的为准。",
                screen=Screen(
                    app_name="公安政务服务",
                    title="居住证申领须知",
                    lines=[
                        "居住登记|已满半年",
                        "就业|劳动合同或营业执照",
                        "住所|租房合同或房产证",
                        "就读|学校在读证明",
                        "!就业、住所、就读三项满足其一即可",
                    ],
                    accent=POLICE_BLUE,
                    button="我已了解，开始申请",
                    highlight="我已了解，开始申请",
                ),
                alt="居住证申领须知页，列出居住登记满半年及就业、住所、就读条件，底部“我已了解，开始申请”按钮被红框圈出。",
                tip=Tip("tip", "刚搬来还不满半年的，先去办“居住登记”，居住时间从登记那天开始算。"),
            ),
            Step(
                title="找到“居住证申领”",
                text="在当地公安的政务服务App或公众号里，打开“户政服务”，点“居住证申领”。"
                "很多城市在“支付宝—城市服务”或“微信—城市服务”里也能找到同一个入口。",
                screen=Screen(
                    app_name="公安政务服务",
                    title="户政服务",
                    lines=["@居住登记|居住证申领|户口迁移|身份证", "#常用服务", "居住证签注（续期）", "办理进度查询"],
                    accent=POLICE_BLUE,
                    highlight="居住证申领",
                ),
                alt="户政服务页，上方图标中的“居住证申领”被红框圈出并标着“点这里”。",
            ),
            Step(
                title="填写个人信息和居住地址",
                text="按提示填写姓名、身份证号和现在住的详细地址，再选择住处所属的派出所。地址要和租房合同或房产证上的一致。",
                screen=Screen(
                    app_name="公安政务服务",
                    title="填写申请信息",
                    lines=[
                        "姓名|请输入姓名",
                        "身份证号|请输入身份证号",
                        "居住地址|请选择区、街道",
                        "详细地址|请填写门牌号",
                        "受理派出所|请选择",
                    ],
                    accent=POLICE_BLUE,
                    button="下一步",
                    highlight="居住地址",
                ),
                alt="填写申请信息页，有姓名、身份证号、居住地址、详细地址和受理派出所几栏，“居住地址”被红框圈出。",
            ),
            Step(
                title="上传材料和证件照",
                text="拍照上传身份证正反面、居住证明（租房合同或房产证）、工作证明（劳动合同或营业执照）或上学证明。"
                "证件照可以到照相馆拍，让店里给一份“数码照片回执”，按提示上传即可。",
                screen=Screen(
                    app_name="公安政务服务",
                    title="上传材料",
                    lines=[
                        "身份证正反面|已上传",
                        "租房合同|已上传",
                        "劳动合同|请上传",
                        "证件照回执|请上传",
                    ],
                    accent=POLICE_BLUE,
                    button="下一步",
                    highlight="劳动合同",
                ),
                alt="上传材料页，身份证和租房合同已上传，“劳动合同”显示请上传并被红框圈出。",
                tip=Tip(
                    "warning",
                    "证件照片只在官方渠道上传。不要把身份证照片发到陌生的群里或网站上，以免被人冒用办贷款、办卡。",
                ),
            ),
            Step(
                title="提交申请",
                text="确认信息无误后，选择领取方式（到派出所领取或邮寄到家），点“提交申请”。审核一般需要几个工作日，结果会短信通知。",
                screen=Screen(
                    app_name="公安政务服务",
                    title="确认提交",
                    lines=["申请事项|居住证申领", "受理派出所|城东派出所", "领取方式|邮寄到家"],
                    accent=POLICE_BLUE,
                    button="提交申请",
                    highlight="提交申请",
                ),
                alt="确认提交页，显示申请事项、受理派出所和邮寄到家的领取方式，底部“提交申请”按钮被红框圈出。",
            ),
            Step(
                title="领取居住证，每年记得签注",
                text="审核通过后，按通知到派出所领取，或等快递送到家。居住证每年要签注一次，在居住满一年前的一个月内，"
                "到原来的入口办理“居住证签注”就行。",
                screen=Screen(
                    app_name="公安政务服务",
                    title="办理进度",
                    lines=["提交申请|已完成", "派出所审核|已通过", "制证|已完成", "领取|邮寄中"],
                    accent=POLICE_BLUE,
                    button="查看物流",
                ),
                alt="办理进度页，依次显示提交申请已完成、派出所审核已通过、制证已完成、领取邮寄中。",
            ),
        ],
        related=["withdraw-housing-fund", "register-e-bike"],
    ),
    Tutorial(
        slug="withdraw-housing-fund",
        title="提取住房公积金（租房）",
        category="gongjijin",
        audience="workers",
        estimated_minutes=8,
        last_reviewed=date(2025, 5, 6),
        summary="在本市没有自己的住房、租房住的职工，可以按规定提取住房公积金来付房租。用当地公积金中心的App或公众号，在手机上就能申请。",
        steps=[
            Step(
                title="先查一查公积金余额",
                text="在微信里搜索“全国住房公积金”小程序，刷脸登录后，就能看到公积金账户的余额和每月缴存情况，"
                "在不同城市交过的公积金也能一起查到。",
                screen=Screen(
                    app_name="全国住房公积金",
                    title="个人账户",
                    lines=[
                        "缴存城市|本市",
                        "账户状态|正常缴存",
                        "账户余额|¥23,456.78",
                        "月缴存额|¥1,200.00",
                        "缴存明细查询",
                    ],
                    accent=FUND_ORANGE,
                    highlight="账户余额",
                ),
                alt="全国住房公积金小程序的个人账户页，显示缴存城市、账户状态、账户余额和月缴存额，“账户余额”被红框圈出。",
            ),
            Step(
                title="打开当地公积金中心的App",
                text="提取要在当地公积金中心的官方渠道办理：手机App、微信公众号，或者“支付宝—城市服务—公积金”。"
                "登录时按提示刷脸，确认是本人。登录后点“提取”。",
                screen=Screen(
                    app_name="市住房公积金",
                    title="首页",
                    subtitle="您好，刘**",
                    lines=["@提取|贷款|查询|转移接续", "#通知公告", "关于调整租房提取额度的通知", "网上业务办理指南"],
                    accent=FUND_ORANGE,
                    highlight="提取",
                ),
                alt="当地公积金App首页，上方有提取、贷款、查询、转移接续四个图标，“提取”被红框圈出。",
            ),
            Step(
                title="选择“租房提取”",
                text="在提取业务里选“租房提取”。很多城市规定，没有自有住房的职工按当地标准额度提取时不用上传租房合同；"
                "按实际房租提取的，要上传合同和发票。额度和要求以当地公积金中心为准。",
                screen=Screen(
                    app_name="市住房公积金",
                    title="提取业务",
                    lines=["租房提取", "购房提取", "偿还住房贷款提取", "离退休提取"],
                    accent=FUND_ORANGE,
                    highlight="租房提取",
                ),
                alt="提取业务页，列出租房提取、购房提取、偿还住房贷款提取、离退休提取，“租房提取”被红框圈出。",
            ),
            Step(
                title="填写信息、选择收款银行卡",
                text="系统会带出您的账户信息。选择提取方式（比如按季度提取），看一下本次可提取的金额，再选一张您本人名下的银行卡用来收钱。",
                screen=Screen(
                    app_name="市住房公积金",
                    title="租房提取",
                    lines=[
                        "姓名|刘**",
                        "提取方式|按季度提取",
                        "本次可提取|¥4,500.00",
                        "收款银行卡|请选择本人银行卡",
                    ],
                    accent=FUND_ORANGE,
                    button="下一步",
                    highlight="收款银行卡",
                ),
                alt="租房提取页，显示姓名、提取方式、本次可提取金额，“收款银行卡”一栏被红框圈出。",
            ),
            Step(
                title="提交并查看进度",
                text="核对无误后点“提交”，按提示刷脸确认。审核通过后钱会打到您选的银行卡上，办理进度可以在“业务进度”里查看。",
                screen=Screen(
                    app_name="市住房公积金",
                    title="提交成功",
                    lines=["业务类型|租房提取", "受理状态|审核中", "收款银行卡|建设银行（尾号5678）"],
                    accent=FUND_ORANGE,
                    button="查看业务进度",
                ),
                alt="提交成功页，显示业务类型为租房提取、受理状态为审核中和收款银行卡尾号，底部有“查看业务进度”按钮。",
                tip=Tip(
                    "warning",
                    "自称能“代办提取”“全额提取”的中介，不但要收高额手续费，还可能让您提供假材料，骗提公积金是违法行为，请不要相信。",
                ),
            ),
        ],
        related=["annual-tax-reconciliation", "apply-residence-permit"],
    ),
    Tutorial(
        slug="renew-hk-macau-endorsement",
        title="港澳通行证续签（在线办理签注）",
        category="churujing",
        audience="everyone",
        estimated_minutes=8,
        last_reviewed=date(2025, 5, 26),
        summary="往来港澳通行证里的签注用完或过期后，只要通行证本身还在有效期内，就可以在“移民局”App上在线申请再次签注，不用去窗口排队。",
        steps=[
            Step(
                title="安装“移民局”App并实名注册",
                text="在应用商店搜索“移民局”，认准开发者是“国家移民管理局”。安装后用手机号注册，并按提示刷脸完成实名认证。",
                screen=_store_screen(
                    app="移民局",
                    developer="国家移民管理局",
                    about="出入境证件办理、港澳台签注、出入境记录查询",
                ),
                alt="应用商店里“移民局”App的介绍页，开发者为国家移民管理局，“安装”按钮被红框圈出。",
                tip=Tip(
                    "warning",
                    "网上有不少假冒的“签注代办”网站，收费比官方高很多。签注只在移民局App、“国家移民管理局”公众号或出入境窗口办理。",
                ),
            ),
            Step(
                title="找到“往来港澳台”签注",
                text="登录后，在首页点“往来港澳台”，再点“港澳签注申请”。",
                screen=Screen(
                    app_name="移民局",
                    title="首页",
                    lines=[
                        "@出入境证件|往来港澳台|出入境记录|预约办证",
                        "#热门服务",
                        "港澳签注申请",
                        "证件办理进度查询",
                    ],
                    accent=IMMIGRATION_BLUE,
                    highlight="往来港澳台",
                ),
                alt="移民局App首页，上方图标中的“往来港澳台”被红框圈出并标着“点这里”。",
            ),
            Step(
                title="选择签注种类和次数",
                text="选择前往香港还是澳门，再选签注种类：去旅游选“团队旅游”或“个人旅游”，去看亲戚选“探亲”。"
                "然后选次数，比如“一年一次”。页面上能选的，就是您可以办理的。",
                screen=Screen(
                    app_name="移民局",
                    title="港澳签注申请",
                    subtitle="往来港澳通行证",
                    lines=["证件号码|C*******34", "前往地|香港", "签注种类|个人旅游", "有效期和次数|一年一次"],
                    accent=IMMIGRATION_BLUE,
                    button="下一步",
                    highlight="签注种类",
                ),
                alt="港澳签注申请页，显示打了星号的证件号码、前往地香港、签注种类和次数，“签注种类”一栏被红框圈出。",
                tip=Tip("tip", "如果通行证本身已经过期或快要过期，要先申请“换发证件”，签注不能签在过期的证件上。"),
            ),
            Step(
                title="核对信息并缴费",
                text="核对证件和签注信息，确认无误后点“确认支付”，按页面显示的金额在线缴纳签注费。",
                screen=Screen(
                    app_name="移民局",
                    title="确认并支付",
                    lines=["申请人|王**", "前往地|香港", "签注|个人旅游 一年一次", "签注费|¥15.00"],
                    accent=IMMIGRATION_BLUE,
                    button="确认支付",
                    highlight="确认支付",
                ),
                alt="确认并支付页，列出申请人、前往地、签注种类和签注费，底部“确认支付”按钮被红框圈出。",
            ),
            Step(
                title="等待审批，按提示完成",
                text="审批结果会短信通知，一般几个工作日。审批通过后，按短信和页面上的提示操作；需要打印签注的，"
                "带上通行证到任意一台出入境自助签注机上打印即可。",
                screen=Screen(
                    app_name="移民局",
                    title="办理进度",
                    lines=["提交申请|已完成", "缴费|已完成", "审批|已通过", "#下一步", "查找附近的自助签注机"],
                    accent=IMMIGRATION_BLUE,
                    highlight="查找附近的自助签注机",
                ),
                alt="办理进度页，提交申请、缴费、审批都已完成，下方“查找附近的自助签注机”被红框圈出。",
                tip=Tip("tip", "如果您就在出入境办证大厅附近，也可以直接在自助签注机上申请签注，几分钟就能办好。"),
            ),
        ],
        related=["apply-residence-permit", "annual-tax-reconciliation"],
    ),
    Tutorial(
        slug="register-e-bike",
        title="电动自行车上牌",
        category="jiaotong",
        audience="everyone",
        estimated_minutes=10,
        last_reviewed=date(2025, 4, 8),
        summary="新买的电动自行车要登记上牌才能上路。很多城市可以先在手机上填好信息、预约时间，再把车骑到上牌点验车挂牌。",
        steps=[
            Step(
                title="确认车辆能上牌",
                text="只有符合国家标准的电动自行车才能登记。买车时要拿好产品合格证和购车发票，车身上要有CCC认证标志。"
                "改装过的车，比如拆了限速、换了大电池的，不能上牌。",
                screen=Screen(
                    app_name="支付宝",
                    title="电动自行车登记",
                    subtitle="上牌须知",
                    lines=[
                        "#需要准备",
                        "身份证|车主本人",
                        "购车发票|原件",
                        "产品合格证|随车附带",
                        "CCC认证标志|车身可见",
                        "!改装过的车辆不予登记",
                    ],
                    accent=ALIPAY_BLUE,
                    button="开始登记",
                ),
                alt="电动自行车登记的上牌须知页，列出身份证、购车发票、产品合格证和CCC认证标志，提示改装车辆不予登记。",
            ),
            Step(
                title="打开登记入口",
                text="在支付宝或微信里打开“城市服务”，找到“电动自行车登记”。有的地区在“交管12123”App或当地交警的公众号里办理，以当地交警的公告为准。",
                screen=Screen(
                    app_name="支付宝",
                    title="城市服务",
                    subtitle="本市",
                    lines=[
                        "@交通出行|社保|医保|公积金",
                        "#交通出行",
                        "电动自行车登记",
                        "交通违法查询",
                        "驾驶证业务",
                    ],
                    accent=ALIPAY_BLUE,
                    highlight="电动自行车登记",
                ),
                alt="支付宝城市服务页，交通出行列表中的“电动自行车登记”被红框圈出并标着“点这里”。",
            ),
            Step(
                title="填写车主和车辆信息",
                text="填写车主姓名、手机号，再对照合格证填写整车编码、品牌型号，并拍照上传合格证和发票。",
                screen=Screen(
                    app_name="支付宝",
                    title="填写车辆信息",
                    lines=[
                        "车主|张**",
                        "手机号|137****2468",
                        "整车编码|请按合格证填写",
                        "品牌型号|请选择",
                        "合格证照片|请上传",
                    ],
                    accent=ALIPAY_BLUE,
                    button="下一步",
                    highlight="整车编码",
                ),
                alt="填写车辆信息页，有车主、手机号、整车编码、品牌型号、合格证照片几栏，“整车编码”被红框圈出。",
                tip=Tip("tip", "整车编码印在合格证上，车架上也打着同样的钢印号，两个要一致。"),
            ),
            Step(
                title="预约上牌点和时间",
                text="选择离家近的上牌点和方便的日期、时间段，点“确认预约”。",
                screen=Screen(
                    app_name="支付宝",
                    title="预约上牌",
                    lines=[
                        "上牌点|城南车管服务站",
                        "日期|6月12日 周四",
                        "时间段|09:00-11:00",
                        "!请携带身份证、发票和合格证原件",
                    ],
                    accent=ALIPAY_BLUE,
                    button="确认预约",
                    highlight="上牌点",
                ),
                alt="预约上牌页，可以选择上牌点、日期和时间段，“上牌点”一栏被红框圈出。",
            ),
            Step(
                title="骑车去验车挂牌",
                text="按预约时间把车骑到上牌点，带好身份证、发票和合格证原件。工作人员核对车架号和电机号后，当场给车装上号牌。",
                screen=Screen(
                    app_name="支付宝",
                    title="预约详情",
                    lines=["上牌点|城南车管服务站", "时间|6月12日 09:00-11:00", "状态|待验车", "导航到上牌点"],
                    accent=ALIPAY_BLUE,
                    highlight="导航到上牌点",
                ),
                alt="预约详情页，显示上牌点、时间和待验车状态，下方“导航到上牌点”被红框圈出。",
                tip=Tip(
                    "warning",
                    "很多地方电动自行车上牌是免费的。有人以“加急”“包过”为名要收钱，请提高警惕，以当地交警公布的规定为准。",
                ),
            ),
            Step(
                title="戴好头盔，安全骑行",
                text="号牌要装在车尾，不能遮挡或折弯。骑电动自行车要戴安全头盔，不闯红灯、不逆行，载人要遵守当地规定。",
                screen=Screen(
                    app_name="支付宝",
                    title="我的电动自行车",
                    lines=["号牌|本市 A12345", "登记状态|已登记", "车主|张**", "!骑行请佩戴安全头盔"],
                    accent=ALIPAY_BLUE,
                    button="完成",
                ),
                alt="我的电动自行车页，显示号牌、已登记状态和车主，提示骑行请佩戴安全头盔。",
            ),
        ],
        related=["apply-residence-permit", "check-social-insurance-payments"],
    ),
    Tutorial(
        slug="medical-insurance-out-of-town",
        title="异地就医备案",
        category="yibao",
        audience="elderly",
        estimated_minutes=8,
        last_reviewed=date(2025, 5, 30),
        summary="长期住在外地（比如到子女所在的城市养老），或者要去外地看病，先在“国家医保服务平台”App上做异地就医备案，在外地看病就能直接用医保结算。",
        steps=[
            Step(
                title="打开“异地备案”",
                text="打开“国家医保服务平台”App并登录，在首页点“异地备案”。",
                screen=Screen(
                    app_name="国家医保服务平台",
                    title="首页",
                    subtitle="您好，赵**",
                    lines=[
                        "@医保电子凭证|异地备案|亲情账户|目录查询",
                        "#常用服务",
                        "个人账户查询",
                        "参保信息查询",
                    ],
                    accent=YIBAO_BLUE,
                    highlight="异地备案",
                ),
                alt="国家医保服务平台首页，上方图标中的“异地备案”被红框圈出并标着“点这里”。",
            ),
            Step(
                title="选择备案类型",
                text="退休后到外地长期生活的，选“异地长期居住人员”；在外地长期工作的，选“常驻异地工作人员”；"
                "临时去外地看病的，选“异地转诊人员”或“临时外出就医人员”。",
                screen=Screen(
                    app_name="国家医保服务平台",
                    title="异地就医备案",
                    subtitle="请选择备案人员类型",
                    lines=["异地长期居住人员", "常驻异地工作人员", "异地转诊人员", "临时外出就医人员"],
                    accent=YIBAO_BLUE,
                    highlight="异地长期居住人员",
                ),
                alt="异地就医备案页，列出四种备案人员类型，“异地长期居住人员”被红框圈出。",
            ),
            Step(
                title="填写备案信息",
                text="选择要去的省市（就医地），填写开始日期和联系电话。长期居住的，一般可以用个人承诺代替居住证明材料。",
                screen=Screen(
                    app_name="国家医保服务平台",
                    title="填写备案信息",
                    lines=[
                        "参保地|本市",
                        "就医地|请选择省市",
                        "开始日期|2025-07-01",
                        "联系电话|136****9090",
                        "!长期居住可用个人承诺代替证明材料",
                    ],
                    accent=YIBAO_BLUE,
                    button="下一步",
                    highlight="就医地",
                ),
                alt="填写备案信息页，有参保地、就医地、开始日期和联系电话几栏，“就医地”被红框圈出。",
                tip=Tip(
                    "warning",
                    "备案在官方App里办理，不收任何费用。有人打电话说“您的医保卡异常，需要备案”，让您转账或报验证码的，是诈骗。",
                ),
            ),
            Step(
                title="阅读承诺书并提交",
                text="仔细阅读《个人承诺书》，确认所填信息真实，勾选“我已阅读并同意”，点“提交备案”。",
                screen=Screen(
                    app_name="国家医保服务平台",
                    title="个人承诺书",
                    lines=[
                        "!本人承诺所填信息真实有效，如有不实，愿意承担相应责任。",
                        "我已阅读并同意",
                    ],
                    accent=YIBAO_BLUE,
                    button="提交备案",
                    highlight="提交备案",
                ),
                alt="个人承诺书页，写着本人承诺所填信息真实有效，底部“提交备案”按钮被红框圈出。",
            ),
            Step(
                title="查看备案结果，在外地看病",
                text="在“备案查询”里看到“备案成功”后，到就医地的联网定点医院看病，出示医保码或社保卡，就能直接用医保结算。",
                screen=Screen(
                    app_name="国家医保服务平台",
                    title="备案查询",
                    lines=[
                        "备案状态|备案成功",
                        "备案类型|异地长期居住",
                        "就医地|海南省海口市",
                        "定点医疗机构查询",
                    ],
                    accent=YIBAO_BLUE,
                    highlight="定点医疗机构查询",
                ),
                alt="备案查询页，显示备案成功、备案类型和就医地，下方“定点医疗机构查询”被红框圈出。",
                tip=Tip("tip", "去医院前，先在“定点医疗机构查询”里看一看这家医院能不能直接结算，心里更有底。"),
            ),
        ],
        related=["activate-medical-insurance-code", "pension-eligibility-check"],
    ),
]


def category_slugs() -> set[str]:
    return {category.slug for category in CATEGORIES}


def tutorial_slugs() -> set[str]:
    return {tutorial.slug for tutorial in TUTORIALS}


def tutorial_by_slug(slug: str) -> Tutorial:
    return next(tutorial for tutorial in TUTORIALS if tutorial.slug == slug)
