"""The demo as a user starts it: the tour played by a separate process, with the real bot in it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
# The demo's own entry point; `python -m bot demo` is the same command (bot.demo.command.demo).
DEMO = [sys.executable, "-m", "bot", "demo"]


def _demo(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "TELEGRAM_API_URL")}
    return subprocess.run(
        [*DEMO, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_tour_plays_through_with_every_answer_as_expected() -> None:
    started = time.monotonic()
    result = _demo("--script", "bot/demo/tour.txt")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr + result.stdout
    transcript = result.stdout
    for line in (
        "访客 › /start",
        "│ 欢迎您，*赵丽娟*！您的 Telegram 账号已与代表名册绑定。 │",
        "王建国 › [English]",
        "│ Language set: English.",
        "│ 您负责的代表团中没有名叫 郑雅琴 的人员。 │",
        "│ 链接：https://t.me/liaison_demo_bot?start=",
        "│ [照片 photo] ",
        "  [1] 导入   [2] 取消",
        "│ 已导入 roster_update.csv。",
        "王建国 › /log 视察 昨天 洛阳博物馆 文旅文创融合调研",
        "│ ✅ 已保存。",
        "│ 群众同意登记联系方式：否（未保存联系方式）",
        "│ 您负责范围内暂无社情民意。 │",
        "│ [文件 document] 履职档案_",
        "🕒 2024-03-18 10:00 (Asia/Shanghai) — the bot's clock moved",
        "马文静 › [按轮值安排空余接待日]",
        "│ 2024年3月20日（周三）：王建国",
        "马文静 › [位置 location] 34.6197,112.4539",
        "│ ⬜ 次日仍未登记接待 — 12:00",
        "🕒 2024-03-19 19:00 (Asia/Shanghai) — the bot's clock moved",
        "│ *您明天值班*（代表活动日）",
        "│ 地址：洛阳市洛龙区关林街道办事处一楼",
        "│ [位置 location] 34.6197, 112.4539 │",
        "│ *您今天值班*（代表活动日）",
        "  [1] 登记接待情况",
        "│ 内容：代表活动日接待选民8人，反映小区停车难、菜市场噪音扰民 │",
        "王建国 › [位置 location] 34.6212,112.4571",
        "│ *发布这次小组活动？*将立即通知 3 名成员。",
        "│ [文件 document] meeting-1.ics",
        "│ 请假（1）：李红梅（可能要去郑州参加代表培训）",
        "🕒 2024-03-21 12:30 (Asia/Shanghai) — the bot's clock moved",
        "│ *提醒：*小组活动将于 2 小时后开始。",
        "李红梅 › [位置 location] 34.6215,112.4575",
        "│ 已于 14:35 签到 *一季度小组活动：老旧小区加装电梯专题调研*。谢谢！ │",
        "│ 已签到（1）：李红梅",
        "李红梅 › [登记为我的履职活动]",
        "│ 已登记：小组活动 *一季度小组活动：老旧小区加装电梯专题调研*，2024年3月21日（ │",
        "马文静 › [文件 document] bulletin_2024_04.txt · 7.2 KB",
        "│ 2024年第4期 已发布，正在发送给 6 人。在 /bulletins 中可查看谁已阅读。 │",
        "  (弹窗 pop-up) 已记录为已阅，谢谢。",
        "│ 您负责范围内 6 人中已阅 1 人。",
        "│ 群发 #1 正在发送，进度消息随后显示。 │",
        "│ 已发送：6 · 失败：0 · 无法送达：0 │",
        "马文静 › [驻洛省十四届人大代表]",
        "│ 报表：代表团 驻洛省十四届人大代表 · 2024年第一季度",
        "│ 履职活动：2次，积分：5。",
        "│   刘晓燕、张卫东、赵丽娟、钱志远、陈志强",
        "│ [照片 photo] 1000×600 · ",
        "│ [文件 document] report-delegation-1-2024Q1.xlsx · ",
        "李红梅 › /report",
        "│ 2024年第一季度报表：请选择代表小组。 │",
        "│ [文件 document] report-group-1-2024Q1.xlsx · ",
        "🕒 2024-04-01 09:00 (Asia/Shanghai) — the bot's clock moved",
        "│ 2024年第一季度亮分：请预览并批准发送。 │",
        "│ 本组合计：履职活动 2 次，积分 5；在本代表团 2 个小组中排名第 1。",
        "│ 第一小组的季度亮分正在发给本组代表。 │",
        "李红梅 › [📊 本季度图表]",
        "│ [照片 photo] 800×280 · ",
        "🕒 2025-01-02 08:30 (Asia/Shanghai) — the bot's clock moved",
        "马文静 › /evaluation 2024",
        "│ 1. 王建国（第一小组）55.0分",
        "│ 拟表彰名单（1名）：王建国 │",
        "│ [文件 document] evaluation-1-2024.xlsx · ",
        "│ 表彰文稿草稿：",
        "马文静 › /assemble",
        "│ （驻洛省十四届人大代表供稿）",
        "│ [文件 document] 代表工作2025年第1期.docx · ",
        "│ 以上是代表将收到的 2025年第1期，尚未发送。",
    ):
        assert line in transcript, line
    assert re.search(r"✓ 111 actions, 216 checks passed in \d+\.\d s", transcript)
    # Starting the emulator and the bot takes half of it on a busy two-core machine.
    assert elapsed < 90


def test_a_failed_expectation_exits_non_zero_and_stops_the_bot(tmp_path: Path) -> None:
    script = tmp_path / "wrong.txt"
    script.write_text("@王建国\n> /help\n? 这句话不会出现\n> /me\n", encoding="utf-8")
    data = tmp_path / "data"
    result = _demo("--script", str(script), "--data", str(data), "--as", "韩立新")
    assert result.returncode == 1
    assert f"{script}:3: expected '这句话不会出现' in the answer" in result.stderr
    assert "王建国 › /me" not in result.stdout  # the run stops at the first failure
    assert (data / "demo.db").exists()
    assert "polling as @liaison_demo_bot" in (data / "bot.log").read_text(encoding="utf-8")
    assert "stopped" in (data / "bot.log").read_text(encoding="utf-8").splitlines()[-1]
