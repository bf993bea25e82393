"""Interface strings in Chinese and English, and which of the two this session shows.

Answers follow the question's language (the service decides); this module only covers the
chrome around them: labels, buttons, hints and error messages.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

Lang = Literal["zh", "en"]
LANG_KEY = "ui_lang"

_STRINGS: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "app_title": ("finsight 金融研究助手", "finsight research assistant"),
    "tagline": (
        "每个数字都由行情数据计算, 每个观点都有出处。",
        "Every figure computed from market data, every claim cited.",
    ),
    "page_chat": ("对话", "Chat"),
    "page_knowledge": ("知识库", "Knowledge"),
    "page_market": ("行情", "Market"),
    "language": ("界面语言", "Interface language"),
    "mode": ("模式", "Mode"),
    "mode_offline_hint": (
        "离线分析师: 只用行情数据与知识库写报告。要启用大模型, 在 `.env` 中设置 "
        "`OPENAI_API_KEY` (可选 `OPENAI_BASE_URL`, `FINSIGHT_MODEL`) 后重启。",
        "Offline analyst: reports from market data and the knowledge base only. To use an LLM, "
        "set `OPENAI_API_KEY` (optionally `OPENAI_BASE_URL`, `FINSIGHT_MODEL`) in `.env` and restart.",
    ),
    "mode_llm_hint": (
        "模型与端点由 `FINSIGHT_MODEL` 和 `OPENAI_BASE_URL` 配置。",
        "Model and endpoint come from `FINSIGHT_MODEL` and `OPENAI_BASE_URL`.",
    ),
    "loading_service": ("正在加载行情数据与知识库…", "Loading market data and the knowledge base…"),
    "service_failed": (
        "助手无法启动: {reason}。检查 `.env` 配置后刷新页面。",
        "The assistant could not start: {reason}. Check your `.env` settings and reload the page.",
    ),
    # Chat
    "chat_placeholder": ("提一个关于市场的问题…", "Ask a question about the markets…"),
    "empty_state": (
        "试试: **小盘股基本面改善能否支撑其相对大盘股的持续性超额表现? (2025年9月至2026年1月)**",
        "Try: **Can improving small-cap fundamentals sustain their outperformance versus large caps? "
        "(Sep 2025 - Jan 2026)**",
    ),
    "example_button": ("问这个问题", "Ask this"),
    "empty_message": ("消息是空的, 请输入一个问题。", "The message is empty: type a question."),
    "too_long": (
        "消息有 {n:,} 个字符, 上限是 {limit:,}。请缩短问题; 长文档请在知识库页面上传。",
        "The message has {n:,} characters; the limit is {limit:,}. Shorten the question, "
        "or upload long documents on the Knowledge page.",
    ),
    "thinking": ("正在研究…", "Researching…"),
    "steps_done": ("完成 {n} 个步骤, 用时 {s:.1f} 秒", "{n} steps done in {s:.1f} s"),
    "ask_failed": ("这个问题没能回答: {reason}", "This question could not be answered: {reason}"),
    "grounding_ok": (":material/verified: {n} / {total} 个数字已溯源", ":material/verified: {n} of {total} figures traced"),
    "grounding_none": ("此回答中没有需要溯源的数字", "No figures to trace in this answer"),
    "grounding_bad": ("{n} / {total} 个数字已溯源; 未溯源: {items}", "{n} of {total} figures traced; not traced: {items}"),
    "dangling": ("已移除无效引用: {items}", "Dangling citations removed: {items}"),
    "references": ("参考资料", "References"),
    "market_ref": ("行情数据库", "Market database"),
    "window": ("区间", "Window"),
    "provider": ("数据源", "Provider"),
    "as_of": ("截至", "As of"),
    "source": ("来源", "Source"),
    "date": ("日期", "Date"),
    "link": ("链接", "Link"),
    "passage": ("引用原文", "Passage used"),
    "demo_passage": (
        "演示摘要:这段文字是 finsight 对原文的转述,不是原文;引用前请打开链接核对。",
        "Demo summary: finsight's restatement of the document, not the document itself; open the link and check before relying on it.",
    ),
    "charts": ("图表", "Charts"),
    "chart_perf": ("归一化表现 (区间首日 = 0%)", "Normalised performance (first day = 0%)"),
    "chart_rolling": ("{a} 相对 {b} 的{n}日滚动贝塔与相关系数", "{a}: {n}-day rolling beta and correlation to {b}"),
    "chart_vol_pct": ("{a} {n}日波动率在自身历史中的分位", "{a}: {n}-day volatility percentile in its own history"),
    "chart_drawdown": ("{a} 距前高的回撤", "{a}: drawdown from its running high"),
    "chart_ratio": ("相对强度 {pair} 与 20 日均线", "Relative strength {pair} with its MA20"),
    "followups": ("继续追问", "Follow-up questions"),
    "export": ("导出 Markdown", "Export Markdown"),
    "export_pdf": ("导出 PDF", "Export PDF"),
    "notes": ("说明", "Notes"),
    "mode_badge_llm": ("大模型 · {model}", "LLM · {model}"),
    "mode_badge_offline": ("离线分析师", "offline analyst"),
    "elapsed": ("{s:.1f} 秒", "{s:.1f} s"),
    # Login (shared deployments only)
    "login_title": ("登录", "Sign in"),
    "login_hint": (
        "这是一个共享部署: 输入你的用户名和团队共享的密码。每个用户只看到自己的对话。",
        "This is a shared deployment: enter your user name and the team's shared password. "
        "Each user sees only their own conversations.",
    ),
    "login_user": ("用户名", "User name"),
    "login_password": ("共享密码", "Shared password"),
    "login_submit": ("登录", "Sign in"),
    "login_no_user": ("请输入用户名。", "Enter a user name."),
    "login_wrong": ("密码不正确: 请向部署管理员确认后重试。", "Wrong password: check it with whoever runs this deployment and try again."),
    "login_oidc": ("通过 {provider} 登录", "Sign in with {provider}"),
    "login_oidc_default": ("登录", "Sign in"),
    "login_oidc_failed": ("无法登录: {reason}", "Sign-in is not available: {reason}"),
    "signed_in_as": ("已登录: {name}", "Signed in as {name}"),
    "logout": ("退出登录", "Sign out"),
    # Conversations
    "conversations": ("对话记录", "Conversations"),
    "new_chat": ("新对话", "New conversation"),
    "rename": ("重命名", "Rename"),
    "rename_label": ("新标题", "New title"),
    "delete": ("删除", "Delete"),
    "delete_confirm": ("确认删除这个对话", "Yes, delete this conversation"),
    "no_conversations": ("还没有对话。", "No conversations yet."),
    "manage": ("管理当前对话", "Manage this conversation"),
    "untitled": ("新对话", "New conversation"),
    # Knowledge
    "kb_title": ("知识库", "Knowledge base"),
    "kb_intro": (
        "上传研报、新闻或网页; 回答中的 [1]、[2] 等引用来自这里。",
        "Upload reports, news or web pages; the answers' [1], [2]… citations come from here.",
    ),
    "kb_upload": ("上传文件 (PDF, Word, Markdown, 文本, HTML)", "Upload files (PDF, Word, Markdown, text, HTML)"),
    "kb_ingest": ("导入", "Ingest"),
    "kb_urls": ("网址 (每行一个)", "URLs (one per line)"),
    "kb_add_urls": ("抓取并导入", "Fetch and ingest"),
    "kb_nothing": ("先选择文件或填写网址。", "Choose files or enter URLs first."),
    "kb_progress": ("{item}: {done}/{total}", "{item}: {done}/{total}"),
    "kb_added": ("新增", "Added"),
    "kb_updated": ("更新", "Updated"),
    "kb_skipped": ("未变 (已存在)", "Unchanged (already there)"),
    "kb_failed": ("失败", "Failed"),
    "kb_sources": ("来源列表", "Sources"),
    "kb_count": ("{sources} 个来源, {chunks} 个片段", "{sources} sources, {chunks} chunks"),
    "kb_empty": ("知识库是空的。", "The knowledge base is empty."),
    "kb_search": ("搜索知识库", "Search the knowledge base"),
    "kb_no_hits": ("没有找到相关片段。", "No matching passages."),
    "kb_delete": ("删除来源", "Delete a source"),
    "kb_deleted": ("已删除: {title}", "Deleted: {title}"),
    "kb_delete_pick": ("选择要删除的来源", "Choose a source to delete"),
    "kb_delete_confirm": ("确认删除「{title}」及其全部段落", "Yes, delete “{title}” and all its passages"),
    "kb_failed_ingest": ("导入失败: {reason}", "Ingest failed: {reason}"),
    "kb_upload_unwritable": ("无法保存上传的文件 ({reason}); 请改名后重试", "could not save the upload ({reason}); rename it and try again"),
    "col_title": ("标题", "Title"),
    "col_publisher": ("发布方", "Publisher"),
    "col_published": ("发布日期", "Published"),
    "col_language": ("语言", "Language"),
    "col_chunks": ("片段数", "Chunks"),
    "col_origin": ("文件 / 网址", "File / URL"),
    "col_ingested": ("导入时间", "Ingested"),
    "col_demo": ("示例", "Demo"),
    # Market
    "mk_title": ("行情", "Market"),
    "mk_intro": (
        "选择指数和区间, 查看助手回答时使用的同一组指标和图表。",
        "Pick indexes and a window: the same metrics and charts the assistant uses.",
    ),
    "mk_symbols": ("指数 (第一个与其余逐一比较)", "Indexes (the first is compared with each other one)"),
    "mk_custom": ("自定义", "Custom"),
    "mk_start": ("开始日期", "Start"),
    "mk_end": ("结束日期", "End"),
    "mk_pick": ("至少选择一个指数。", "Pick at least one index."),
    "mk_series": ("单个指数", "Per index"),
    "mk_pairs": ("相对表现", "Relative performance"),
    "mk_failed": ("行情指标无法计算: {reason}", "Metrics could not be computed: {reason}"),
    "col_symbol": ("代码", "Symbol"),
    "col_name": ("名称", "Name"),
    "col_return": ("收益", "Return"),
    "col_last": ("收盘", "Last close"),
    "col_ann_vol": ("年化波动", "Ann. vol"),
    "col_vol20": ("20日年化波动", "20d ann. vol"),
    "col_daily_vol": ("日波动", "Daily vol"),
    "col_mdd": ("最大回撤", "Max drawdown"),
    "col_sharpe": ("夏普", "Sharpe"),
    "col_ma20": ("高于MA20", "Above MA20"),
    "col_ma50": ("高于MA50", "Above MA50"),
    "col_days": ("交易日", "Days"),
    "col_pair": ("组合", "Pair"),
    "col_excess": ("超额收益", "Excess return"),
    "col_rs_end": ("相对强度", "RS ratio"),
    "col_rs_from_max": ("距高点", "From RS high"),
    "col_beta": ("贝塔", "Beta"),
    "col_corr": ("相关性", "Correlation"),
    "col_vol_ratio": ("波动比", "Vol ratio"),
    # The [0] panel: everything cited from the market data
    "ref_measure": ("指标", "Measure"),
    "ref_base": ("基准收盘(日期)", "Base close (day)"),
    "ref_first": ("区间首日收盘", "First close in window"),
    "ref_last": ("区间末日收盘", "Last close"),
    "ref_ma20": ("MA20", "MA20"),
    "ref_ma50": ("MA50", "MA50"),
    "ref_ma200": ("MA200", "MA200"),
    "ref_dd_days": ("回撤高点 → 低点", "Drawdown peak → trough"),
    "ref_high": ("区间最高(日期)", "High (day)"),
    "ref_low": ("区间最低(日期)", "Low (day)"),
    "ref_relative": ("相对收益", "Relative return"),
    "ref_rs_start": ("比率期初", "Ratio at start"),
    "ref_rs_high": ("比率高点(日期)", "Ratio high (day)"),
    # The scorecard's rules in the [0] panel (knowledge.market.scorecard.STAR_RULES)
    "score_dimension": ("维度", "Dimension"),
    "score_measured": ("序列与日期", "Series and days"),
    "score_value": ("数值", "Value"),
    "score_cuts": ("五档分界", "Cuts of the five bands"),
    "score_stars": ("评级", "Stars"),
    "score_higher_better": ("越高越好", "higher is better"),
    "score_lower_better": ("越低越好", "lower is better"),
    "score_momentum": ("动量:超额收益", "Momentum: excess return"),
    "score_relative_strength": ("相对强度:比率距高点", "Relative strength: ratio vs its high"),
    "score_trend": ("趋势:收盘相对MA200", "Trend: close vs MA200"),
    "score_volatility": ("波动:60日波动率的历史分位", "Volatility: 60-day volatility's percentile in its history"),
    "score_drawdown": ("回撤:区间最大回撤", "Drawdown: maximum in the window"),
    "score_rate_sensitivity": ("利率:每上行10个基点的周收益", "Rates: weekly return per +10 bp of the 10-year"),
    # The coverage check beside the grounding badge (assistant.grounding.coverage).
    "coverage_ok": (":material/task_alt: 所问 {n} 项均已回答或说明", ":material/task_alt: all {n} asked items answered or declined"),
    "coverage_bad": ("所问内容未被回答: {items}", "Asked but not answered: {items}"),
    "coverage_assumed": ("假设: {items}", "Assumed: {items}"),
    "cov_instrument": ("标的", "instrument"),
    "cov_window": ("区间", "window"),
    "cov_metric": ("指标", "metric"),
    "assumed_window_default": ("默认区间(最近12个月)", "default window (last 12 months)"),
    "assumed_window_previous": ("沿用上一轮区间", "previous turn's window"),
    "assumed_window_anchored": ("按事件定位的区间起点", "window start found from an event"),
    "assumed_window_partial": ("区间尚未结束", "period not over in the data"),
    "assumed_instrument_proxy": ("代理指数 {symbol}", "proxy index {symbol}"),
    "assumed_instrument_previous": ("沿用上一轮标的 {symbol}", "{symbol} from the previous turn"),
    "assumed_instrument_default": ("默认标的 {symbol}", "default instrument {symbol}"),
    "assumed_instrument_benchmark": ("比较基准 {symbol}", "benchmark {symbol}"),
    # Conversations in order (ui/components/chat_queue.py)
    "queued": ("排队中: 上面的回答完成后接着回答这个问题", "Queued: answered as soon as the one above is done"),
    "no_answer": ("没有生成回答", "no answer was produced"),
    "thread_label": ("{title} · {date}", "{title} · {date}"),
    # Market data failures: what failed, why, and what to do
    "data_failed": ("行情数据获取失败, 回答中没有数字: {reason}", "Market data could not be loaded, so the answer has no figures: {reason}"),
    "cause_no_network": (
        "无法连接在线行情 (没有网络), 内置快照里也没有 {symbol}。请联网, 或把 FINSIGHT_MARKET_DATA_DIR 设为含 {symbol}.csv 的文件夹, 或换一个指数。",
        "live market data is unreachable (no network) and the built-in snapshot has no {symbol}: connect to the "
        "internet, set FINSIGHT_MARKET_DATA_DIR to a folder with {symbol}.csv, or pick another index.",
    ),
    "cause_live_empty": (
        "在线行情 (Yahoo Finance) 没有返回 {symbol} 的数据 (服务中断或限流)。请稍后再试, 或把 FINSIGHT_MARKET_DATA_DIR 设为含 {symbol}.csv 的文件夹。",
        "the live source (Yahoo Finance) returned no prices for {symbol} (down or rate-limiting): try again in a few "
        "minutes, or set FINSIGHT_MARKET_DATA_DIR to a folder with {symbol}.csv.",
    ),
    "cause_no_file": (
        "数据文件夹里没有 {symbol}.csv。请添加该文件, 或检查 FINSIGHT_MARKET_DATA_DIR, 或换一个指数。",
        "the data folder has no {symbol}.csv: add it, check FINSIGHT_MARKET_DATA_DIR, or pick another index.",
    ),
    "cause_bad_file": (
        "{symbol} 的数据文件无法读取。请修正该文件 (表头 date,open,high,low,close,volume)。",
        "the data file for {symbol} cannot be read: fix it (header date,open,high,low,close,volume).",
    ),
    "cause_unknown_symbol": (
        "不认识 {symbol} 这个指数或代码。请换一个, 例如 RUT、SPX、NDX。",
        "{symbol} is not an index or ticker finsight knows: pick another, e.g. RUT, SPX, NDX.",
    ),
    "cause_no_data": ("所选区间内没有交易日。请换一个区间。", "the window holds no trading days: choose another window."),
    "cause_config": (
        "FINSIGHT_MARKET_PROVIDERS 中有未知的数据源。请只用 csv、yfinance、snapshot。",
        "FINSIGHT_MARKET_PROVIDERS names an unknown provider: use csv, yfinance, snapshot.",
    ),
    "mk_no_symbols": (
        "没有可用的行情数据: 设置 FINSIGHT_MARKET_DATA_DIR 指向 <代码>.csv 文件夹, 联网使用在线行情, 或在 FINSIGHT_MARKET_PROVIDERS 中加入 snapshot (内置快照)。",
        "No market data available: set FINSIGHT_MARKET_DATA_DIR to a folder of <SYMBOL>.csv files, connect for live "
        "data, or add snapshot (the built-in snapshot) to FINSIGHT_MARKET_PROVIDERS.",
    ),
    "provider_csv": ("数据文件夹", "data folder"),
    "provider_yfinance": ("Yahoo Finance (在线)", "Yahoo Finance (live)"),
    "provider_snapshot": ("内置快照", "built-in snapshot"),
    "snapshot_note": (
        "这些数字来自内置快照, 数据截至 {date}, 不是实时行情。",
        "These figures come from the built-in snapshot, with data through {date}, not live prices.",
    ),
}


def browser_default(locale: str | None) -> Lang:
    """The interface language for a browser locale such as "zh-CN" or "en-US"."""
    return "zh" if (locale or "").lower().startswith("zh") else "en"


def current_lang() -> Lang:
    """This session's interface language: the toggle if set, else the browser's locale."""
    lang = st.session_state.get(LANG_KEY)
    if lang in ("zh", "en"):
        return lang
    try:
        locale = st.context.locale
    except Exception:  # older Streamlit or no browser (AppTest): fall back to English
        locale = None
    return browser_default(locale)


def t(key: str, lang: Lang | None = None, **values: object) -> str:
    """The interface string `key` in `lang` (default: the session's), formatted with `values`."""
    zh, en = _STRINGS[key]
    text = zh if (lang or current_lang()) == "zh" else en
    return text.format(**values) if values else text


def language_toggle() -> Lang:
    """A compact zh/en switch; the first render starts from the browser's locale."""
    if st.session_state.get(LANG_KEY) not in ("zh", "en"):
        st.session_state[LANG_KEY] = current_lang()
    st.segmented_control(
        t("language"),
        options=["zh", "en"],
        format_func=lambda v: "中文" if v == "zh" else "English",
        key=LANG_KEY,
        required=True,
    )
    return current_lang()
