// Baton browser UI: one page, hash routing, no dependencies.
//
// Trust boundary: the server HTML-escapes `snippet` and section `html` (only <mark> survives), so those two
// go in with innerHTML. Every other field (titles, paths, facet values, filter values, the suggestion) is text
// written by someone else and goes in as text only.
//
// The search state lives in the hash: #/search?q=…&kind=manual&sort=date&offset=10, so back/forward and reload
// show the same page. Filters typed into the box (kind:manual) stay in q; filters clicked in the sidebar are
// their own parameters. The server echoes both in query.filters.
'use strict';

(function () {
  const LIMIT = 10;
  const LANG_KEY = 'baton.lang';
  const KINDS = ['handover', 'manual', 'communication', 'record', 'answer'];
  const FILTER_KEYS = ['kind', 'type', 'year', 'client', 'project', 'author', 'after', 'before'];
  const FACET_KEYS = ['kind', 'type', 'year', 'client', 'project', 'author'];
  const FACET_SHOWN = 6; // values shown per facet before "more"
  const NARROW = window.matchMedia('(max-width: 760px)');

  const I18N = {
    zh: {
      brand: '交接知识库',
      searchLabel: '搜索知识库',
      placeholder: '搜索交接文档、手册、沟通记录…（按 / 聚焦）',
      searchButton: '搜索',
      loading: '搜索中…',
      homeLead: '输入关键词，查找前任留下的交接文档、操作手册、客户沟通与记录。',
      homeFilters: '可以在搜索框里加筛选：kind:manual client:瑞丰 after:2024-01-01',
      keySlash: '聚焦搜索框',
      keyEnter: '搜索 / 打开选中的结果',
      keyArrows: '在结果间移动',
      keyLeftRight: '展开 / 收起同一文档的其他匹配',
      keyEsc: '从文档返回结果',
      prev: '上一页',
      next: '下一页',
      pagerLabel: '分页',
      page: (p, n) => `第 ${p} / ${n} 页`,
      pageN: (p) => `第 ${p} 页`,
      total: (n, ms) => `共 ${n} 条结果 · 用时 ${ms} 毫秒`,
      sortLabel: '排序',
      sortRelevance: '相关度',
      sortDate: '日期',
      didYouMean: '您是不是要找：',
      filters: '筛选',
      filtersActive: (n) => `筛选（${n}）`,
      chipsLabel: '当前筛选',
      removeFilter: (k, v) => `移除筛选 ${k}：${v}`,
      typedFilter: '在搜索框中输入的筛选',
      clearFilters: '清除筛选',
      facetMore: (n) => `更多（${n}）`,
      facetLess: '收起',
      moreMatches: (n) => `另有 ${n} 处匹配`,
      moreRest: (n) => `还有 ${n} 处，打开文档查看`,
      emptyTitle: (q) => `没有找到 “${q}”`,
      emptyTry: '可以试试：',
      emptyHints: [
        '换个说法，或用更短、更常见的关键词',
        '检查错别字，或换用同义词、英文术语',
        '去掉人名、日期等限定词后再搜',
      ],
      emptyFiltered: '移除上方的筛选条件再试',
      emptyPage: '这一页没有结果了。',
      firstPage: '回到第一页',
      back: '返回结果',
      backGaps: '返回交接缺口',
      backHome: '返回首页',
      outline: '目录',
      date: '日期',
      author: '作者',
      path: '位置',
      untitled: '（无标题）',
      opening: '正在打开文档…',
      requested: '命中段落',
      noSections: '这份文档没有可显示的正文。',
      netError: '无法连接服务器，请确认 Baton 正在运行。',
      httpError: (s) => `服务器返回错误（HTTP ${s}）`,
      badReply: '服务器的回复无法解析。',
      health: (d, u) => `已索引 ${d} 篇文档 · ${u} 个段落`,
      healthDown: '服务器暂未响应',
      navLabel: '页面',
      navGaps: '交接缺口',
      navQuestions: '提问',
      qTitle: '提问',
      qLead: '搜不到答案时在这里提问。先看看下面的参考答案；没人回答过的问题会交给团队，回答后就能被搜索到。',
      qAskLabel: '你的问题',
      qAskPlaceholder: '例如：客户退款怎么处理？',
      qNameLabel: '你的名字',
      qAskButton: '提交问题',
      qAsking: '正在提交…',
      qAsked: '问题已提交，团队会来回答。',
      qMerged: (n) => `已经有人问过这个问题，已合并到那个问题（共问了 ${n} 次）。`,
      qSuggestions: '可能的答案',
      qNoSuggestions: '知识库里没有找到相关的内容。',
      qListTitle: '问题列表',
      qFilterLabel: '按状态筛选',
      qStatus: { open: '待回答', answered: '已回答', closed: '已关闭', all: '全部' },
      qTotal: (n) => `共 ${n} 个问题`,
      qShown: (m, n) => `显示 ${m} / ${n} 个问题`,
      qMore: '显示更多',
      qNone: '没有这类问题。',
      qLoading: '正在读取问题…',
      qAsker: (a) => `提问人：${a}`,
      qChannel: (c) => `渠道：${c}`,
      qCreated: (d) => `提问于 ${d}`,
      qLastAsked: (d) => `最近一次 ${d}`,
      qAnswer: '回答',
      qAnsweredBy: (a, d) => `回答人：${a || '—'} · ${d}`,
      qLinks: '参考链接：',
      qOpenAnswer: '在知识库中打开这个回答',
      qAnswerLabel: '回答内容',
      qByLabel: '回答人',
      qLinksLabel: '参考链接（每行一个）',
      qAnswerButton: '保存回答',
      qAnswerToggle: '回答这个问题',
      qClose: '关闭问题',
      qAnswered: (n) => `已保存回答：${n}`,
      qIndexed: '已加入知识库，搜索可以找到它。',
      qNotIndexed: '稍后加入知识库索引。',
      qClosed: (n) => `已关闭问题：${n}`,
      askTeam: '把这个问题提交给团队',
      askTeamLead: '没找到答案？',
      gapsTitle: '交接缺口',
      gapsLead: '对照交接清单看还缺什么。每一项都链接到它的依据；下载的报告可用于签字确认。',
      gapsLoading: '正在生成缺口报告…',
      score: '完整度',
      checklist: '交接清单',
      asOf: '截至日期',
      staleDays: '过期阈值（天）',
      documents: '文档数',
      backToToday: '回到今天',
      download: '下载报告（Markdown）',
      coverage: '各项覆盖情况',
      coverageSummary: (c, p, m) => `已覆盖 ${c} 项 · 部分覆盖 ${p} 项 · 缺失 ${m} 项`,
      coverageHint: '点一项查看依据和缺少的内容。',
      states: { covered: '已覆盖', partial: '部分', missing: '缺失' },
      areaWhat: '应包含：',
      areaMissing: '还缺：',
      areaEvidence: '依据',
      areaEntities: '涉及的对象',
      noEvidence: '没有找到依据。',
      writeNext: '接下来要写的',
      writeNextLead: '按优先级排列，先补最要紧的。',
      groups: {
        undocumented: '没有资料的对象',
        partial: '资料不全的对象',
        facts: '只在沟通里出现的事实',
        demand: '没找到答案的搜索',
        questions: '没人回答的问题',
        stale: '过期文档',
        markers: '待办标记',
        references: '引用了不存在的文档',
        secrets: '要移入密码库的密钥',
      },
      groupHints: {
        undocumented: '邮件和聊天里常出现、却没有任何资料的客户、合作伙伴、项目和系统。',
        partial: '已有资料，但缺少清单要求的部分内容。',
        facts: '日期、金额、价格等只写在邮件或聊天里的信息，应补进对应的资料。',
        demand: '同事搜过却没有找到结果（或没打开任何结果）的问题。点一下重新搜索。',
        questions: '团队提了、还没有人回答的问题，问得最多的在前。',
        stale: '超过过期阈值没有更新的文档，请核对是否仍然有效。',
        markers: '文档里留下的 TODO、待补充、TBD 等标记。',
        references: '文档提到的文件在知识库里找不到。',
        secrets: '写在文档里的密码和密钥：移到密码库，文档里只写保存位置。',
      },
      groupCount: (n) => `${n} 项`,
      askedTimes: (n) => `问了 ${n} 次`,
      showAll: (n) => `显示全部（${n}）`,
      entityKinds: { client: '客户', partner: '合作伙伴', project: '项目', system: '系统' },
      conversations: (n) => `${n} 次沟通`,
      mentions: (n) => `${n} 处提及`,
      lastSeen: (d) => `最近 ${d}`,
      aliases: '别名：',
      seenIn: '出现在：',
      writeUps: '现有资料：',
      fields: '清单要求：',
      confirmedTag: '已确认',
      addedTag: '手动添加',
      addTitle: '报告漏了什么？',
      addLead: '材料里有、但报告没认出来的客户、合作伙伴、项目或系统，在这里按名称添加。之后报告会在所有材料里找这个名称，算它的沟通次数，看有没有单独的资料。',
      addName: '名称（材料里的写法）',
      addKind: '类别',
      addButton: '添加',
      factAbout: (n) => `关于 ${n}`,
      source: '来源：',
      searches: (n, z) => `搜过 ${n} 次，${z} 次没有结果`,
      searchesNotOpened: (n) => `搜过 ${n} 次，有结果但一个都没打开`,
      lastTime: (d) => `最近 ${d}`,
      updated: (d, n) => `最后更新 ${d}（${n} 天前）`,
      refersTo: (v) => `引用了 ${v}，但找不到这个文档`,
      secretType: '类型：',
      secretValue: '值（已遮盖）：',
      others: (n) => `其他已识别的对象（${n}）`,
      othersLead: '资料齐全的对象。若认错了，可以在这里改名、合并或忽略。',
      ownOrg: '视为本公司（不算客户或合作伙伴）：',
      actionsLabel: (n) => `对 ${n} 的决定`,
      actions: { confirm: '确认', ignore: '忽略', rename: '改名', merge: '合并', kind: '类别', undo: '撤销' },
      actionHints: {
        confirm: '确认这是一个真实的对象',
        ignore: '这不是客户、合作伙伴、项目或系统：从报告中去掉',
        rename: '换一个显示的名称',
        merge: '它和另一个对象是同一个',
        kind: '改成别的类别',
        undo: '撤销对它的最后一次决定',
      },
      renameLabel: (n) => `${n} 的新名称`,
      mergeLabel: (n) => `${n} 与哪个对象是同一个`,
      mergeNone: '没有可以合并的其他对象。',
      kindLabel: (n) => `${n} 的类别`,
      ok: '确定',
      cancel: '取消',
      close: '关闭',
      gateWhy: '这个知识库需要访问口令才能阅读。',
      gateWrong: '访问口令不对，或者没有阅读权限，请重新输入。',
      gateLabel: '访问口令',
      gateSave: '进入',
      gateHint: '口令由管理员提供（启动 baton serve 时设置的 BATON_READER_TOKEN；编辑口令也可以阅读），只保存在这个标签页里。',
      tokenLabel: '编辑口令',
      tokenHint: '保存决定需要编辑口令（启动 baton serve 时设置的 BATON_EDITOR_TOKEN）。口令只保存在这个标签页里。',
      tokenKept: '已保存编辑口令',
      tokenForget: '清除口令',
      saving: '正在保存…',
      err401: '编辑口令不对（或没有填写），请重新输入。',
      err403: '服务器没有开启编辑：启动 baton serve 时要设置环境变量 BATON_EDITOR_TOKEN。',
      err400: '服务器拒绝了这个请求：',
      serverSaid: (m) => `服务器说：${m}`,
      done: {
        confirm: (n) => `已确认 ${n}`,
        ignore: (n) => `已忽略 ${n}，它不再出现在报告里`,
        rename: (n, v) => `已把 ${n} 改名为 ${v}`,
        merge: (n, v) => `已把 ${n} 合并到 ${v}`,
        kind: (n, v) => `已把 ${n} 的类别改为 ${v}`,
        add: (n, v) => `已添加 ${n}（${v}），报告会在材料里找它`,
        undo: (n) => `已撤销对 ${n} 的决定`,
      },
      kinds: {
        handover: '交接文档',
        manual: '操作手册',
        communication: '沟通记录',
        record: '记录/表格',
        answer: '问答',
      },
      facetNames: {
        kind: '类别',
        type: '格式',
        year: '年份',
        client: '客户',
        project: '项目',
        author: '作者',
        after: '起始日期',
        before: '截止日期',
      },
      types: {
        markdown: 'Markdown',
        text: '纯文本',
        html: '网页',
        mail: '邮件',
        chat: '聊天记录',
        csv: 'CSV',
        docx: 'Word',
        xlsx: 'Excel',
        pptx: 'PowerPoint',
        odt: 'ODT',
        pdf: 'PDF',
      },
    },
    en: {
      brand: 'Handover knowledge base',
      searchLabel: 'Search the knowledge base',
      placeholder: 'Search handovers, manuals, client mail… (press / to focus)',
      searchButton: 'Search',
      loading: 'Searching…',
      homeLead: 'Type a few words to find the handover notes, manuals, client communication and records left for you.',
      homeFilters: 'Add filters in the box: kind:manual client:瑞丰 after:2024-01-01',
      keySlash: 'focus the search box',
      keyEnter: 'search / open the selected result',
      keyArrows: 'move between results',
      keyLeftRight: 'show / hide the other matches in the same document',
      keyEsc: 'back from a document to the results',
      prev: 'Previous',
      next: 'Next',
      pagerLabel: 'Pages',
      page: (p, n) => `Page ${p} of ${n}`,
      pageN: (p) => `Page ${p}`,
      total: (n, ms) => `${n} ${n === '1' ? 'result' : 'results'} · ${ms} ms`,
      sortLabel: 'Sort',
      sortRelevance: 'Relevance',
      sortDate: 'Date',
      didYouMean: 'Did you mean: ',
      filters: 'Filters',
      filtersActive: (n) => `Filters (${n})`,
      chipsLabel: 'Active filters',
      removeFilter: (k, v) => `Remove filter ${k}: ${v}`,
      typedFilter: 'typed in the search box',
      clearFilters: 'Clear filters',
      facetMore: (n) => `More (${n})`,
      facetLess: 'Less',
      moreMatches: (n) => `${n} more ${n === '1' ? 'match' : 'matches'}`,
      moreRest: (n) => `${n} more in the document`,
      emptyTitle: (q) => `No results for “${q}”`,
      emptyTry: 'Try:',
      emptyHints: [
        'rephrasing, or fewer and more common words',
        'checking the spelling, or a synonym or the Chinese term',
        'dropping names and dates from the query',
      ],
      emptyFiltered: 'removing the filters above',
      emptyPage: 'There are no results on this page.',
      firstPage: 'Back to the first page',
      back: 'Back to results',
      backGaps: 'Back to the gaps',
      backHome: 'Back to start',
      outline: 'Contents',
      date: 'Date',
      author: 'Author',
      path: 'Location',
      untitled: '(untitled)',
      opening: 'Opening the document…',
      requested: 'matching section',
      noSections: 'This document has no text to show.',
      netError: 'Cannot reach the server. Is Baton running?',
      httpError: (s) => `The server answered with an error (HTTP ${s})`,
      badReply: 'The server sent a reply that could not be read.',
      health: (d, u) => `${d} documents · ${u} sections indexed`,
      healthDown: 'The server is not answering',
      navLabel: 'Pages',
      navGaps: 'Gaps',
      navQuestions: 'Questions',
      qTitle: 'Questions',
      qLead: 'Ask here when a search finds no answer. Look at the suggested answers first; the team answers the rest, and answers become searchable.',
      qAskLabel: 'Your question',
      qAskPlaceholder: 'e.g. How are client refunds handled?',
      qNameLabel: 'Your name',
      qAskButton: 'Ask',
      qAsking: 'Sending…',
      qAsked: 'Your question was sent to the team.',
      qMerged: (n) => `Someone asked this already; merged with that question (asked ${n} ${n === '1' ? 'time' : 'times'}).`,
      qSuggestions: 'Suggested answers',
      qNoSuggestions: 'Nothing related was found in the knowledge base.',
      qListTitle: 'Questions',
      qFilterLabel: 'Filter by status',
      qStatus: { open: 'Open', answered: 'Answered', closed: 'Closed', all: 'All' },
      qTotal: (n) => `${n} ${n === '1' ? 'question' : 'questions'}`,
      qShown: (m, n) => `Showing ${m} of ${n} questions`,
      qMore: 'Show more',
      qNone: 'No questions here.',
      qLoading: 'Loading the questions…',
      qAsker: (a) => `Asked by ${a}`,
      qChannel: (c) => `via ${c}`,
      qCreated: (d) => `asked ${d}`,
      qLastAsked: (d) => `last ${d}`,
      qAnswer: 'Answer',
      qAnsweredBy: (a, d) => `by ${a || '—'} · ${d}`,
      qLinks: 'Links: ',
      qOpenAnswer: 'Open this answer in the knowledge base',
      qAnswerLabel: 'Answer',
      qByLabel: 'Answered by',
      qLinksLabel: 'Links (one per line)',
      qAnswerButton: 'Save answer',
      qAnswerToggle: 'Answer this question',
      qClose: 'Close question',
      qAnswered: (n) => `Answer saved: ${n}`,
      qIndexed: 'It is in the knowledge base and search finds it.',
      qNotIndexed: 'It will be indexed shortly.',
      qClosed: (n) => `Closed: ${n}`,
      askTeam: 'Post the question to the team',
      askTeamLead: 'No answer found?',
      gapsTitle: 'Handover gaps',
      gapsLead: 'What the handover still lacks, against the checklist. Every item links to its evidence; the report downloads for sign-off.',
      gapsLoading: 'Building the gap report…',
      score: 'Completeness',
      checklist: 'Checklist',
      asOf: 'As of',
      staleDays: 'Stale after (days)',
      documents: 'Documents',
      backToToday: 'Back to today',
      download: 'Download report (Markdown)',
      coverage: 'Coverage by checklist area',
      coverageSummary: (c, p, m) => `${c} covered · ${p} partial · ${m} missing`,
      coverageHint: 'Select an area to see its evidence and what is missing.',
      states: { covered: 'covered', partial: 'partial', missing: 'missing' },
      areaWhat: 'Should hold: ',
      areaMissing: 'Missing: ',
      areaEvidence: 'Evidence',
      areaEntities: 'Entities',
      noEvidence: 'No evidence found.',
      writeNext: 'What to write next',
      writeNextLead: 'Ranked: the most pressing first.',
      groups: {
        undocumented: 'Entities without a write-up',
        partial: 'Incomplete write-ups',
        facts: 'Facts only in conversations',
        demand: 'Searches that found nothing',
        questions: 'Unanswered questions',
        stale: 'Stale documents',
        markers: 'Markers',
        references: 'References to missing documents',
        secrets: 'Secrets to move to a vault',
      },
      groupHints: {
        undocumented: 'Clients, partners, projects and systems that mail and chat keep naming but nothing describes.',
        partial: 'A write-up exists but lacks parts the checklist asks for.',
        facts: 'Dates, amounts and prices written only in a mail or a chat: add them to the write-up.',
        demand: 'Questions colleagues searched for and found nothing (or opened nothing). Select one to search again.',
        questions: 'Questions the team asked that nobody has answered yet, the most asked first.',
        stale: 'Documents not updated within the threshold: check they still hold.',
        markers: 'TODO, TBD and similar markers left in documents.',
        references: 'Files a document refers to that the knowledge base does not have.',
        secrets: 'Passwords and keys written in documents: move them to a vault and say only where they are kept.',
      },
      groupCount: (n) => `${n} ${n === '1' ? 'item' : 'items'}`,
      askedTimes: (n) => `asked ${n} ${n === '1' ? 'time' : 'times'}`,
      showAll: (n) => `Show all (${n})`,
      entityKinds: { client: 'client', partner: 'partner', project: 'project', system: 'system' },
      conversations: (n) => `${n} ${n === '1' ? 'conversation' : 'conversations'}`,
      mentions: (n) => `${n} ${n === '1' ? 'mention' : 'mentions'}`,
      lastSeen: (d) => `last ${d}`,
      aliases: 'Also: ',
      seenIn: 'Seen in: ',
      writeUps: 'Write-ups: ',
      fields: 'Checklist: ',
      confirmedTag: 'confirmed',
      addedTag: 'added by hand',
      addTitle: 'Did the report miss one?',
      addLead: 'A client, partner, project or system the material names but the report did not recognise: add it here by name. The report then looks for that name in all the material, counts the conversations that name it and checks for a write-up of its own.',
      addName: 'Name (as the material writes it)',
      addKind: 'Kind',
      addButton: 'Add',
      factAbout: (n) => `About ${n}`,
      source: 'Source: ',
      searches: (n, z) => `searched ${n}×, ${z}× nothing found`,
      searchesNotOpened: (n) => `searched ${n}×, results shown but none opened`,
      lastTime: (d) => `last ${d}`,
      updated: (d, n) => `last updated ${d} (${n} days before)`,
      refersTo: (v) => `refers to ${v}, which cannot be found`,
      secretType: 'Type: ',
      secretValue: 'Value (masked): ',
      others: (n) => `Other entities found (${n})`,
      othersLead: 'Entities with a complete write-up. If one was recognised wrongly, rename, merge or ignore it here.',
      ownOrg: 'Taken to be the own company (never a client or partner): ',
      actionsLabel: (n) => `Decisions about ${n}`,
      actions: { confirm: 'Confirm', ignore: 'Ignore', rename: 'Rename', merge: 'Merge', kind: 'Kind', undo: 'Undo' },
      actionHints: {
        confirm: 'Confirm this is a real entity',
        ignore: 'Not a client, partner, project or system: drop it from the report',
        rename: 'Show it under another name',
        merge: 'It is the same as another entity',
        kind: 'Change its kind',
        undo: 'Undo the last decision about it',
      },
      renameLabel: (n) => `New name for ${n}`,
      mergeLabel: (n) => `${n} is the same as`,
      mergeNone: 'There is no other entity to merge with.',
      kindLabel: (n) => `Kind of ${n}`,
      ok: 'OK',
      cancel: 'Cancel',
      close: 'Close',
      gateWhy: 'This knowledge base needs an access token to read.',
      gateWrong: 'The access token is wrong or may not read. Enter it again.',
      gateLabel: 'Access token',
      gateSave: 'Enter',
      gateHint: 'Your administrator has it (BATON_READER_TOKEN when baton serve was started; an editor token reads too). It is kept in this tab only.',
      tokenLabel: 'Editor token',
      tokenHint: 'Saving a decision needs the editor token (BATON_EDITOR_TOKEN when baton serve was started). It is kept in this tab only.',
      tokenKept: 'Editor token saved',
      tokenForget: 'Forget it',
      saving: 'Saving…',
      err401: 'The editor token is wrong (or missing). Enter it again.',
      err403: 'Editing is turned off on the server: start baton serve with the environment variable BATON_EDITOR_TOKEN set.',
      err400: 'The server refused the request: ',
      serverSaid: (m) => `The server said: ${m}`,
      done: {
        confirm: (n) => `Confirmed ${n}`,
        ignore: (n) => `Ignored ${n}; it no longer shows in the report`,
        rename: (n, v) => `Renamed ${n} to ${v}`,
        merge: (n, v) => `Merged ${n} into ${v}`,
        kind: (n, v) => `Changed the kind of ${n} to ${v}`,
        add: (n, v) => `Added ${n} (${v}); the report now looks for it in the material`,
        undo: (n) => `Undid the decision about ${n}`,
      },
      kinds: {
        handover: 'Handover',
        manual: 'Manual',
        communication: 'Communication',
        record: 'Record / sheet',
        answer: 'Q&A',
      },
      facetNames: {
        kind: 'Kind',
        type: 'Format',
        year: 'Year',
        client: 'Client',
        project: 'Project',
        author: 'Author',
        after: 'After',
        before: 'Before',
      },
      types: {
        markdown: 'Markdown',
        text: 'Plain text',
        html: 'Web page',
        mail: 'Mail',
        chat: 'Chat',
        csv: 'CSV',
        docx: 'Word',
        xlsx: 'Excel',
        pptx: 'PowerPoint',
        odt: 'ODT',
        pdf: 'PDF',
      },
    },
  };

  const $ = (id) => document.getElementById(id);

  const Q_STATUSES = ['open', 'answered', 'closed', 'all'];

  const state = {
    lang: 'zh',
    view: 'home',
    seq: 0, // bumps on every navigation so late replies of an older one are dropped
    search: null, // {s: {q, filters, sort, offset}, data, expanded: Set of hit ids whose other matches are shown}
    doc: null, // {id, q, data}
    questions: null, // {status, data, limit, asked: the last ask's reply, notice: {text}, draft}
    gaps: null, // {params: {as_of, stale_days}, data, open: Set of area ids shown, notice, showAll: Set of groups}
    lastSearchHash: '',
    from: '', // the hash of the last search or gap report shown: where a document's "back" goes
    lastSearchQ: '', // the query box as that search had it, typed filters included
    selected: -1,
    facetOpen: new Set(), // facets whose long value list is shown in full
    health: null, // {documents, units} or {down: true}
  };

  function t(key) {
    const v = I18N[state.lang][key];
    return v === undefined ? I18N.zh[key] : v;
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function str(v) {
    return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
  }

  function fmtCount(n) {
    const x = Number(n);
    if (!Number.isFinite(x)) return '0';
    return x.toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-US');
  }

  function fmtMs(ms) {
    const x = Number(ms);
    if (!Number.isFinite(x)) return '–';
    return x < 10 ? x.toFixed(1) : String(Math.round(x));
  }

  // How a filter value reads: kinds and formats by their localized name, everything else as it is.
  function valueLabel(key, value) {
    const v = str(value);
    if (key === 'kind' && KINDS.indexOf(v) >= 0) return t('kinds')[v];
    if (key === 'type' && Object.prototype.hasOwnProperty.call(t('types'), v)) return t('types')[v];
    return v;
  }

  // ---- routing -------------------------------------------------------------------------------------

  // s: {q, filters: {key: value}, sort: 'relevance'|'date', offset}
  function searchHash(s) {
    const p = new URLSearchParams();
    p.set('q', s.q);
    const filters = s.filters || {};
    FILTER_KEYS.forEach((k) => {
      if (filters[k]) p.set(k, filters[k]);
    });
    if (s.sort === 'date') p.set('sort', 'date');
    if (s.offset > 0) p.set('offset', String(s.offset));
    return '#/search?' + p.toString();
  }

  function withSearch(s, change) {
    return Object.assign({ q: s.q, filters: Object.assign({}, s.filters), sort: s.sort, offset: s.offset }, change);
  }

  function docHash(id, q, searchId) {
    let h = '#/doc/' + encodeURIComponent(id);
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (searchId) p.set('search', String(searchId));
    const qs = p.toString();
    return qs ? h + '?' + qs : h;
  }

  function parseHash() {
    const h = location.hash.replace(/^#/, '');
    const qi = h.indexOf('?');
    const path = qi >= 0 ? h.slice(0, qi) : h;
    const params = new URLSearchParams(qi >= 0 ? h.slice(qi + 1) : '');
    if (path === '/search') {
      const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
      const filters = {};
      FILTER_KEYS.forEach((k) => {
        const v = (params.get(k) || '').trim();
        if (v) filters[k] = v;
      });
      const sort = params.get('sort') === 'date' ? 'date' : 'relevance';
      return { name: 'search', s: { q: (params.get('q') || '').trim(), filters, sort, offset } };
    }
    if (path.startsWith('/doc/') && path.length > 5) {
      let id = path.slice(5);
      try {
        id = decodeURIComponent(id);
      } catch (e) {
        // keep the raw id; the server will say if it does not know it
      }
      const sid = (params.get('search') || '').trim();
      return { name: 'doc', id, q: (params.get('q') || '').trim(), searchId: /^\d+$/.test(sid) ? sid : '' };
    }
    if (path === '/gaps') return { name: 'gaps', params: gapsParams(params) };
    if (path === '/questions') {
      const st = params.get('status') || '';
      return { name: 'questions', status: Q_STATUSES.indexOf(st) >= 0 ? st : 'open', q: (params.get('q') || '').trim() };
    }
    return { name: 'home' };
  }

  function route() {
    const r = parseHash();
    if (r.name === 'search' && r.s.q) {
      runSearch(r.s);
    } else if (r.name === 'doc') {
      openDoc(r.id, r.q, r.searchId);
    } else if (r.name === 'gaps') {
      openGaps(r.params);
    } else if (r.name === 'questions') {
      openQuestions(r.status, r.q);
    } else {
      showHome();
    }
  }

  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  // ---- filters typed into the query box ------------------------------------------------------------

  // `key:value` or `key:"two words"` as a whole word of q (a full-width colon counts too).
  function typedFilterRe(key) {
    return new RegExp('(^|\\s)' + key + '[:：](?:"[^"]*"?|“[^”]*”?|\\S*)', 'gi');
  }

  function hasTypedFilter(q, key) {
    return typedFilterRe(key).test(q);
  }

  function removeTypedFilter(q, key) {
    return q.replace(typedFilterRe(key), '$1').replace(/\s+/g, ' ').trim();
  }

  // The active filters as chips: clicked ones from the URL, typed ones as the server read them from q.
  function activeFilters(s, query) {
    const echoed = query && query.filters && typeof query.filters === 'object' ? query.filters : {};
    const out = [];
    FILTER_KEYS.forEach((key) => {
      const param = s.filters[key] || '';
      const echo = str(echoed[key]);
      if (param) out.push({ key, value: param, origin: 'param' });
      if (echo && echo !== param && (hasTypedFilter(s.q, key) || !param)) {
        out.push({ key, value: echo, origin: 'query' });
      }
    });
    return out;
  }

  // Where the search goes once filter f is removed (the first page: the result set changes).
  function withoutFilter(s, f) {
    const next = withSearch(s, { offset: 0 });
    if (f.origin === 'param') delete next.filters[f.key];
    else next.q = removeTypedFilter(s.q, f.key);
    return next;
  }

  // Where the search goes with filter key set to value. A filter typed in q wins over a parameter on the
  // server, so a typed one is rewritten in place rather than shadowed by a parameter nobody would see.
  function withFilter(s, key, value) {
    if (!hasTypedFilter(s.q, key)) {
      return withSearch(s, { offset: 0, filters: Object.assign({}, s.filters, { [key]: value }) });
    }
    const token = key + ':' + (/[\s"]/.test(value) ? '"' + value.replace(/"/g, '') + '"' : value);
    let done = false;
    const q = s.q.replace(typedFilterRe(key), (m, pre) => {
      if (done) return pre;
      done = true;
      return pre + token;
    });
    const next = withSearch(s, { offset: 0, q: q.replace(/\s+/g, ' ').trim() });
    delete next.filters[key];
    return next;
  }

  function goSearch(s) {
    go(s.q ? searchHash(s) : '#/');
  }

  // ---- server --------------------------------------------------------------------------------------

  // Every read sends the token of this tab, if there is one: a server with reader tokens refuses reads
  // without it (401), and then the token gate asks for one.
  function authHeaders(extra) {
    const h = Object.assign({ Accept: 'application/json' }, extra || {});
    const token = readToken();
    if (token) h.Authorization = 'Bearer ' + token;
    return h;
  }

  async function api(url) {
    let res;
    try {
      res = await fetch(url, { headers: authHeaders() });
    } catch (e) {
      throw new Error(t('netError'));
    }
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const msg = body && typeof body.error === 'string' && body.error ? body.error : t('httpError')(res.status);
      if (res.status === 401) showTokenGate(true);
      throw new Error(msg);
    }
    if (!body || typeof body !== 'object') throw new Error(t('badReply'));
    return body;
  }

  // The token gate: shown when reading needs a token this tab does not have (or has wrong).
  function showTokenGate(refused) {
    const gate = $('token-gate');
    if (!gate.hidden) return;
    const hadToken = !!readToken();
    $('token-gate-why').textContent = refused && hadToken ? t('gateWrong') : t('gateWhy');
    if (refused && hadToken) writeToken('');
    gate.hidden = false;
    $('token-gate-input').focus();
  }

  function initTokenGate() {
    $('token-gate').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const v = $('token-gate-input').value.trim();
      if (!v) return;
      writeToken(v);
      $('token-gate-input').value = '';
      $('token-gate').hidden = true;
      loadHealth();
      route();
    });
  }

  // ---- shared pieces -------------------------------------------------------------------------------

  function setState(s) {
    document.body.dataset.state = s;
    $('loading').hidden = s !== 'loading' || state.view !== 'search';
    $('search-layout').classList.toggle('stale', s === 'loading');
  }

  function showView(name) {
    state.view = name;
    document.body.dataset.view = name;
    $('search-view').hidden = name === 'doc' || name === 'gaps' || name === 'questions';
    $('doc-view').hidden = name !== 'doc';
    $('gaps-view').hidden = name !== 'gaps';
    $('questions-view').hidden = name !== 'questions';
    [['nav-gaps', 'gaps'], ['nav-questions', 'questions']].forEach(([id, view]) => {
      const nav = $(id);
      nav.classList.toggle('active', name === view);
      if (name === view) nav.setAttribute('aria-current', 'page');
      else nav.removeAttribute('aria-current');
    });
    $('home').hidden = name !== 'home';
    $('search-layout').hidden = name !== 'search';
    if (name !== 'doc') {
      $('doc-slot').textContent = '';
      $('doc-error').hidden = true;
    }
  }

  function showError(node, msg) {
    node.textContent = msg;
    node.hidden = !msg;
  }

  function badge(kind) {
    const k = str(kind);
    const known = KINDS.indexOf(k) >= 0;
    const b = el('span', 'badge kind-' + (known ? k : 'other'), known ? t('kinds')[k] : k || '?');
    b.dataset.kind = k;
    return b;
  }

  // ---- home ----------------------------------------------------------------------------------------

  function showHome() {
    state.seq++;
    state.search = null;
    state.doc = null;
    state.selected = -1;
    showView('home');
    state.from = '';
    $('q').value = '';
    clearResults();
    delete $('results').dataset.q;
    delete $('results').dataset.hash;
    showError($('error'), '');
    document.title = 'Baton ' + t('brand');
    setState('idle');
  }

  // ---- search --------------------------------------------------------------------------------------

  async function runSearch(s) {
    const my = ++state.seq;
    const hash = searchHash(s);
    const pageChanged = !state.search || searchHash(state.search.s) !== hash;
    showView('search');
    state.doc = null;
    state.lastSearchHash = hash;
    state.lastSearchQ = s.q;
    state.from = hash;
    $('q').value = s.q;
    showError($('error'), '');
    document.title = s.q + ' · Baton';
    setState('loading');

    const p = new URLSearchParams();
    p.set('q', s.q);
    FILTER_KEYS.forEach((k) => {
      if (s.filters[k]) p.set(k, s.filters[k]);
    });
    p.set('sort', s.sort);
    p.set('limit', String(LIMIT));
    p.set('offset', String(s.offset));
    let data;
    try {
      data = await api('/api/search?' + p.toString());
    } catch (e) {
      if (my !== state.seq) return;
      state.search = null;
      clearResults();
      // The chips stay, so a filter the server refused can be taken off again.
      renderChips(s, null);
      renderSort(s);
      $('results').dataset.q = s.q;
      $('results').dataset.hash = searchHash(s);
      showError($('error'), e.message);
      setState('error');
      return;
    }
    if (my !== state.seq) return;
    const keep = state.search && !pageChanged ? state.search.expanded : new Set();
    state.search = { s, data, expanded: keep };
    renderSearch();
    if (pageChanged) window.scrollTo(0, 0);
    setState('done');
  }

  function clearResults() {
    $('results').textContent = '';
    $('empty-slot').textContent = '';
    $('total').textContent = '';
    $('pager').hidden = true;
    $('pages').textContent = '';
    $('chips').textContent = '';
    $('chips').hidden = true;
    $('suggestion').hidden = true;
    $('suggestion-link').textContent = '';
    $('sort').hidden = true;
    $('facet-list').textContent = '';
    $('search-layout').classList.add('no-facets');
    state.selected = -1;
  }

  function renderSearch() {
    const { s, data } = state.search;
    const hits = Array.isArray(data.hits) ? data.hits : [];
    const total = Math.max(0, Number(data.total) || 0);
    const query = data.query && typeof data.query === 'object' ? data.query : {};
    clearResults();
    const results = $('results');
    results.dataset.q = s.q;
    results.dataset.hash = searchHash(s); // which search is on screen (the browser test waits on it)

    const filters = activeFilters(s, query);
    renderFacets(data.facets, s, filters);
    renderChips(s, query);
    renderSort(s);
    renderSuggestion(s, data.suggestion);

    if (hits.length === 0) {
      $('empty-slot').appendChild(renderEmpty(s, total, filters.length > 0));
      renderPager(s, total);
      return;
    }
    $('total').textContent = t('total')(fmtCount(total), fmtMs(data.took_ms));
    results.start = s.offset + 1;
    // Highlighting in the document view wants the words, not the filter syntax.
    const words = str(query.text).trim() || s.q;
    const searchId = logId(data.search_id);
    hits.forEach((h, i) => results.appendChild(renderHit(h, i, words, searchId)));
    renderPager(s, total);
  }

  // The search log's id as digits ('' when the search was not logged). The server keeps it within 2^53.
  function logId(v) {
    if (typeof v === 'string') return /^[1-9]\d*$/.test(v) ? v : '';
    return Number.isSafeInteger(v) && v > 0 ? String(v) : '';
  }

  function renderSort(s) {
    const box = $('sort');
    box.hidden = false;
    box.querySelectorAll('button[data-sort]').forEach((b) => {
      b.setAttribute('aria-pressed', b.dataset.sort === s.sort ? 'true' : 'false');
    });
  }

  function setSort(sort) {
    if (!state.search && parseHash().name !== 'search') return;
    const s = state.search ? state.search.s : parseHash().s;
    if (s.sort === sort) return;
    go(searchHash(withSearch(s, { sort, offset: 0 })));
  }

  function renderSuggestion(s, suggestion) {
    const text = str(suggestion).trim();
    if (!text || text === s.q) return;
    const a = $('suggestion-link');
    a.textContent = text;
    a.href = searchHash(withSearch(s, { q: text, offset: 0 }));
    $('suggestion').hidden = false;
  }

  function renderChips(s, query) {
    const list = $('chips');
    list.textContent = '';
    const filters = activeFilters(s, query);
    list.hidden = filters.length === 0;
    filters.forEach((f) => {
      const li = el('li', 'chip chip-' + f.origin);
      li.dataset.key = f.key;
      li.dataset.value = f.value;
      li.dataset.origin = f.origin;
      const name = t('facetNames')[f.key] || f.key;
      li.appendChild(el('span', 'chip-key', name));
      li.appendChild(el('span', 'chip-value', valueLabel(f.key, f.value)));
      if (f.origin === 'query') li.title = t('typedFilter');
      const x = el('button', 'chip-remove', '×');
      x.type = 'button';
      x.setAttribute('aria-label', t('removeFilter')(name, valueLabel(f.key, f.value)));
      x.title = t('removeFilter')(name, valueLabel(f.key, f.value));
      x.addEventListener('click', () => goSearch(withoutFilter(s, f)));
      li.appendChild(x);
      list.appendChild(li);
    });
    if (filters.length >= 2) {
      const li = el('li', 'chip-clear');
      const b = el('button', 'link-button', t('clearFilters'));
      b.type = 'button';
      b.addEventListener('click', () => {
        let next = withSearch(s, { offset: 0, filters: {} });
        filters.filter((f) => f.origin === 'query').forEach((f) => (next = withoutFilter(next, f)));
        goSearch(next);
      });
      li.appendChild(b);
      list.appendChild(li);
    }
  }

  function renderFacets(facets, s, filters) {
    const box = $('facet-list');
    box.textContent = '';
    let shown = 0;
    if (facets && typeof facets === 'object') {
      FACET_KEYS.forEach((key) => {
        const values = Array.isArray(facets[key]) ? facets[key].filter((v) => v && str(v.value)) : [];
        if (!values.length) return;
        box.appendChild(renderFacet(key, values, s, filters));
        shown++;
      });
    }
    $('search-layout').classList.toggle('no-facets', shown === 0);
    const n = filters.length;
    $('facets-summary').textContent = n ? t('filtersActive')(fmtCount(n)) : t('filters');
  }

  function renderFacet(key, values, s, filters) {
    const group = el('section', 'facet');
    group.dataset.facet = key;
    const id = 'facet-' + key;
    const title = el('h2', 'facet-title', t('facetNames')[key]);
    title.id = id + '-title';
    group.appendChild(title);
    const ul = el('ul', 'facet-values');
    ul.setAttribute('aria-labelledby', title.id);
    const open = state.facetOpen.has(key);
    values.forEach((v, i) => {
      const value = str(v.value);
      const active = filters.find((f) => f.key === key && f.value === value);
      const li = el('li');
      if (!open && i >= FACET_SHOWN && !active) li.hidden = true;
      const a = el('a', 'facet-value' + (active ? ' active' : ''));
      a.dataset.value = value;
      // Clicking an active value takes the filter off again; any other value replaces the facet's filter.
      a.href = searchHash(active ? withoutFilter(s, active) : withFilter(s, key, value));
      if (active) a.setAttribute('aria-current', 'true');
      a.appendChild(el('span', 'facet-label', valueLabel(key, value)));
      a.appendChild(el('span', 'facet-count', fmtCount(v.count)));
      li.appendChild(a);
      ul.appendChild(li);
    });
    group.appendChild(ul);
    if (values.length > FACET_SHOWN) {
      const b = el('button', 'facet-more link-button', open ? t('facetLess') : t('facetMore')(fmtCount(values.length - FACET_SHOWN)));
      b.type = 'button';
      b.setAttribute('aria-expanded', open ? 'true' : 'false');
      b.addEventListener('click', () => {
        if (state.facetOpen.has(key)) state.facetOpen.delete(key);
        else state.facetOpen.add(key);
        const again = renderFacet(key, values, s, filters);
        group.replaceWith(again);
        const nb = again.querySelector('.facet-more');
        if (nb) nb.focus();
      });
      group.appendChild(b);
    }
    return group;
  }

  function renderHit(h, i, words, searchId) {
    const li = el('li', 'hit');
    li.dataset.index = String(i);
    const hitId = str(h.id) || str(h.doc);
    li.dataset.hit = hitId;
    if (h.doc) li.dataset.doc = str(h.doc);

    const head = el('div', 'hit-head');
    head.appendChild(badge(h.kind));
    const title = str(h.title) || str(h.path) || t('untitled');
    const a = el('a', 'hit-title', title);
    a.href = docHash(hitId, words, searchId);
    head.appendChild(a);
    if (h.date) {
      const d = el('time', 'hit-date', str(h.date));
      d.dateTime = str(h.date);
      head.appendChild(d);
    }
    li.appendChild(head);

    if (h.section) li.appendChild(el('div', 'hit-section', str(h.section)));
    if (h.snippet) {
      const s = el('div', 'snippet');
      s.innerHTML = str(h.snippet); // escaped by the server, <mark> only
      li.appendChild(s);
    }
    if (h.path) li.appendChild(el('div', 'hit-path', str(h.path)));

    const more = Array.isArray(h.more) ? h.more.filter((m) => m && str(m.id)) : [];
    const moreCount = Math.max(more.length, Number(h.more_count) || 0);
    if (moreCount > 0) li.appendChild(renderMore(hitId, more, moreCount, words, searchId));

    // A click anywhere on the card opens it, unless the user is selecting text to copy.
    li.addEventListener('click', (ev) => {
      if (ev.target.closest('a, button, .more')) return;
      const sel = window.getSelection();
      if (sel && !sel.isCollapsed) return;
      location.hash = a.getAttribute('href');
    });
    return li;
  }

  // The document's other matching sections, folded under its best one.
  function renderMore(hitId, more, moreCount, words, searchId) {
    const wrap = el('div', 'more');
    const open = state.search.expanded.has(hitId);
    const listId = 'more-' + state.seq + '-' + hitId.replace(/[^A-Za-z0-9_-]/g, '_');
    const toggle = el('button', 'more-toggle');
    toggle.type = 'button';
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    toggle.setAttribute('aria-controls', listId);
    toggle.appendChild(el('span', 'more-arrow'));
    toggle.appendChild(el('span', 'more-label', t('moreMatches')(fmtCount(moreCount))));
    wrap.appendChild(toggle);

    const ul = el('ul', 'more-list');
    ul.id = listId;
    ul.hidden = !open;
    more.forEach((m) => {
      const li = el('li', 'more-item');
      const a = el('a', 'more-link', str(m.section) || t('untitled'));
      a.href = docHash(str(m.id), words, searchId);
      li.appendChild(a);
      if (m.snippet) {
        const s = el('div', 'snippet more-snippet');
        s.innerHTML = str(m.snippet); // escaped by the server, <mark> only
        li.appendChild(s);
      }
      ul.appendChild(li);
    });
    if (moreCount > more.length) {
      const li = el('li', 'more-rest');
      const a = el('a', '', t('moreRest')(fmtCount(moreCount - more.length)));
      a.href = docHash(hitId, words, searchId);
      li.appendChild(a);
      ul.appendChild(li);
    }
    wrap.appendChild(ul);
    toggle.addEventListener('click', () => setExpanded(wrap, hitId, ul.hidden));
    return wrap;
  }

  function setExpanded(wrap, hitId, open) {
    const ul = wrap.querySelector('.more-list');
    const toggle = wrap.querySelector('.more-toggle');
    if (!ul || !toggle) return;
    ul.hidden = !open;
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (state.search) {
      if (open) state.search.expanded.add(hitId);
      else state.search.expanded.delete(hitId);
    }
  }

  function renderEmpty(s, total, filtered) {
    const box = el('div', 'empty');
    box.id = 'empty';
    box.setAttribute('role', 'status');
    if (s.offset > 0 && total > 0) {
      box.appendChild(el('p', 'empty-title', t('emptyPage')));
      const a = el('a', '', t('firstPage'));
      a.href = searchHash(withSearch(s, { offset: 0 }));
      box.appendChild(a);
      return box;
    }
    box.appendChild(el('p', 'empty-title', t('emptyTitle')(s.q)));
    box.appendChild(el('p', 'empty-try', t('emptyTry')));
    const ul = el('ul', 'empty-hints');
    if (filtered) ul.appendChild(el('li', '', t('emptyFiltered')));
    t('emptyHints').forEach((x) => ul.appendChild(el('li', '', x)));
    box.appendChild(ul);
    // Nothing found: the question can go to the team, prefilled on the questions page.
    const ask = el('p', 'ask-team');
    ask.appendChild(el('span', 'ask-team-lead', t('askTeamLead') + ' '));
    const a = el('a', 'ask-team-link', t('askTeam'));
    a.id = 'ask-team';
    a.href = questionsHash('open', s.q);
    ask.appendChild(a);
    box.appendChild(ask);
    return box;
  }

  // 1 … 4 5 [6] 7 8 … 20: the first, the last and two either side of the current page.
  function pageList(page, pages) {
    const out = [];
    for (let p = 1; p <= pages; p++) {
      if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
      else if (out[out.length - 1] !== 0) out.push(0);
    }
    return out;
  }

  function renderPager(s, total) {
    const pages = Math.max(1, Math.ceil(total / LIMIT));
    const page = Math.floor(s.offset / LIMIT) + 1;
    const show = total > LIMIT || s.offset > 0;
    $('pager').hidden = !show;
    $('prev').disabled = s.offset <= 0;
    $('next').disabled = s.offset + LIMIT >= total;
    $('page').textContent = t('page')(fmtCount(page), fmtCount(pages));
    const box = $('pages');
    box.textContent = '';
    if (!show) return;
    pageList(page, pages).forEach((p) => {
      if (p === 0) {
        box.appendChild(el('span', 'page-gap', '…'));
      } else if (p === page) {
        const cur = el('span', 'page-link current', fmtCount(p));
        cur.setAttribute('aria-current', 'page');
        cur.setAttribute('aria-label', t('pageN')(fmtCount(p)));
        box.appendChild(cur);
      } else {
        const a = el('a', 'page-link', fmtCount(p));
        a.href = searchHash(withSearch(s, { offset: (p - 1) * LIMIT }));
        a.dataset.page = String(p);
        a.setAttribute('aria-label', t('pageN')(fmtCount(p)));
        box.appendChild(a);
      }
    });
  }

  function pageBy(delta) {
    if (!state.search) return;
    const s = state.search.s;
    const next = Math.max(0, s.offset + delta * LIMIT);
    if (next !== s.offset) go(searchHash(withSearch(s, { offset: next })));
  }

  function hitNodes() {
    return Array.prototype.slice.call($('results').querySelectorAll('.hit'));
  }

  // Selects hit i; moves the focus to its title unless the focus is already inside that hit.
  function select(i, keepFocus) {
    const hits = hitNodes();
    hits.forEach((h, j) => {
      h.classList.toggle('selected', j === i);
      if (j === i) h.setAttribute('aria-current', 'true');
      else h.removeAttribute('aria-current');
    });
    state.selected = i >= 0 && i < hits.length ? i : -1;
    if (state.selected >= 0) {
      const node = hits[state.selected];
      const link = node.querySelector('.hit-title');
      if (link && !keepFocus) link.focus({ preventScroll: true });
      node.scrollIntoView({ block: 'nearest' });
    }
  }

  // ---- document ------------------------------------------------------------------------------------

  async function openDoc(id, q, searchId) {
    const my = ++state.seq;
    showView('doc');
    state.selected = -1;
    const back = $('back');
    // Back goes where the document was opened from: the gap report or the results.
    const fromGaps = state.from.startsWith('#/gaps');
    const backHash = fromGaps
      ? state.from
      : state.lastSearchHash || (q ? searchHash({ q, filters: {}, sort: 'relevance', offset: 0 }) : '#/');
    const backLabel = fromGaps ? 'backGaps' : backHash === '#/' ? 'backHome' : 'back';
    back.href = backHash;
    back.querySelector('[data-i18n]').dataset.i18n = backLabel;
    back.querySelector('[data-i18n]').textContent = t(backLabel);
    // q here is only the words to highlight; the box keeps the whole query the results came from.
    if (fromGaps) $('q').value = '';
    else if (state.lastSearchHash) $('q').value = state.lastSearchQ;
    else if (q) $('q').value = q;
    showError($('doc-error'), '');
    const slot = $('doc-slot');
    slot.textContent = '';
    slot.appendChild(el('p', 'opening', t('opening')));
    setState('loading');

    let url = '/api/docs/' + encodeURIComponent(id);
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (searchId) p.set('search', searchId);
    if (p.toString()) url += '?' + p.toString();
    // The open is logged once: a reload, a shared link or back/forward to this page must not log it again.
    if (searchId) history.replaceState(history.state, '', docHash(id, q));
    let data;
    try {
      data = await api(url);
    } catch (e) {
      if (my !== state.seq) return;
      slot.textContent = '';
      showError($('doc-error'), e.message);
      setState('error');
      return;
    }
    if (my !== state.seq) return;
    state.doc = { id, q, data };
    renderDoc(true);
    setState('done');
  }

  function lastPart(headingPath) {
    const parts = str(headingPath).split('›').map((s) => s.trim()).filter(Boolean);
    return parts.length ? parts[parts.length - 1] : '';
  }

  function levelClass(level) {
    const n = Math.min(6, Math.max(1, parseInt(level, 10) || 1));
    return 'lvl-' + n;
  }

  function renderDoc(scroll) {
    const { q, data } = state.doc;
    const slot = $('doc-slot');
    slot.textContent = '';
    const sections = Array.isArray(data.sections) ? data.sections : [];
    const unit = data.unit ? str(data.unit) : '';
    const title = str(data.title) || str(data.path) || t('untitled');
    document.title = title + ' · Baton';

    const art = el('article', 'doc');
    art.id = 'doc';

    const head = el('header', 'doc-head');
    const h1 = el('h1', 'doc-title');
    h1.appendChild(badge(data.kind));
    h1.appendChild(document.createTextNode(' '));
    h1.appendChild(el('span', 'doc-title-text', title));
    head.appendChild(h1);
    const meta = el('dl', 'doc-meta');
    const addMeta = (key, value, cls) => {
      if (!value) return;
      const row = el('div', 'meta-item' + (cls ? ' ' + cls : ''));
      row.appendChild(el('dt', '', t(key)));
      row.appendChild(el('dd', '', value));
      meta.appendChild(row);
    };
    addMeta('date', str(data.date));
    addMeta('author', str(data.author));
    addMeta('path', str(data.path), 'meta-path');
    head.appendChild(meta);
    art.appendChild(head);

    const body = el('div', 'doc-body');
    const nodes = [];
    const outlineItems = [];
    let current = null;

    const secWrap = el('div', 'sections');
    sections.forEach((s, i) => {
      const sec = el('section', 'doc-section');
      sec.id = 'sec-' + i;
      sec.dataset.unit = str(s.id);
      const heading = str(s.heading);
      if (heading) {
        const h = el('h2', 'section-heading ' + levelClass(s.level), lastPart(heading) || heading);
        h.title = heading;
        h.tabIndex = -1;
        sec.appendChild(h);
      }
      const text = el('div', 'section-text');
      text.innerHTML = str(s.html); // escaped by the server, <mark> only
      sec.appendChild(text);
      secWrap.appendChild(sec);
      nodes.push(sec);

      if (heading) {
        const li = el('li', levelClass(s.level));
        const a = el('a', '', lastPart(heading) || heading);
        a.href = docHash(str(s.id) || state.doc.id, q);
        a.title = heading;
        a.addEventListener('click', (ev) => {
          if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
          ev.preventDefault();
          sec.scrollIntoView({ block: 'start' });
          const hh = sec.querySelector('.section-heading');
          if (hh) hh.focus({ preventScroll: true });
        });
        li.appendChild(a);
        outlineItems.push({ li, index: i });
      }
      if (unit && str(s.id) === unit && !current) {
        current = sec;
        sec.classList.add('current');
        sec.setAttribute('aria-current', 'location');
        const tag = el('span', 'current-tag', t('requested'));
        sec.insertBefore(tag, sec.firstChild);
        if (outlineItems.length && outlineItems[outlineItems.length - 1].index === i) {
          outlineItems[outlineItems.length - 1].li.classList.add('current');
        }
      }
    });

    if (outlineItems.length >= 2) {
      const nav = el('nav', 'outline');
      nav.setAttribute('aria-label', t('outline'));
      nav.appendChild(el('h2', 'outline-title', t('outline')));
      const ol = el('ol');
      outlineItems.forEach((o) => ol.appendChild(o.li));
      nav.appendChild(ol);
      body.appendChild(nav);
    } else {
      body.classList.add('no-outline');
    }
    if (!nodes.length) secWrap.appendChild(el('p', 'muted', t('noSections')));
    body.appendChild(secWrap);
    art.appendChild(body);
    slot.appendChild(art);

    if (!scroll) return;
    if (current) {
      // Layout must exist before scrolling; one frame is enough.
      requestAnimationFrame(() => current.scrollIntoView({ block: 'start' }));
    } else {
      window.scrollTo(0, 0);
    }
  }

  // ---- gaps ----------------------------------------------------------------------------------------
  //
  // #/gaps?as_of=YYYY-MM-DD&stale_days=N shows GET /api/gaps: the score and one bar per checklist area first,
  // then what to write next. Every string of the report is someone's text (file names, headings, mail lines)
  // and goes in as text. Decisions about entities POST to /api/entities/decision with the editor token, which
  // is asked for on the first write and kept in sessionStorage (this tab only).

  const STATES = ['covered', 'partial', 'missing'];
  const STATE_MARK = { covered: '✓', partial: '◐', missing: '✗' };
  const ENTITY_KINDS = ['client', 'partner', 'project', 'system'];
  const GROUP_SHOWN = 20; // items shown per group before "show all"
  const TOKEN_KEY = 'baton.editorToken';

  function gapsParams(params) {
    const out = {};
    const asOf = (params.get('as_of') || '').trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(asOf)) out.as_of = asOf;
    const days = (params.get('stale_days') || '').trim();
    if (/^\d{1,5}$/.test(days) && Number(days) > 0) out.stale_days = String(Number(days));
    return out;
  }

  function gapsQuery(params, extra) {
    const p = new URLSearchParams();
    Object.keys(extra || {}).forEach((k) => p.set(k, extra[k]));
    if (params.as_of) p.set('as_of', params.as_of);
    if (params.stale_days) p.set('stale_days', params.stale_days);
    return p.toString();
  }

  function gapsHash(params) {
    const qs = gapsQuery(params);
    return qs ? '#/gaps?' + qs : '#/gaps';
  }

  function stateOf(v) {
    return STATES.indexOf(str(v)) >= 0 ? str(v) : 'missing';
  }

  function list(v) {
    return Array.isArray(v) ? v.filter((x) => x !== null && x !== undefined) : [];
  }

  function obj(v) {
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  }

  // opts.keep: a reload after a decision (keep the scroll position and the open areas).
  async function openGaps(params, opts) {
    const my = ++state.seq;
    const keep = !!(opts && opts.keep);
    showView('gaps');
    state.doc = null;
    state.selected = -1;
    state.from = gapsHash(params);
    document.title = t('gapsTitle') + ' · Baton';
    showError($('gaps-error'), '');
    const prev = state.gaps;
    const same = prev && gapsQuery(prev.params) === gapsQuery(params);
    state.gaps = {
      params,
      data: same ? prev.data : null,
      open: same ? prev.open : new Set(),
      showAll: same ? prev.showAll : new Set(),
      notice: keep && prev ? prev.notice : null,
    };
    if (!state.gaps.data) {
      const slot = $('gaps-slot');
      slot.textContent = '';
      slot.appendChild(gapsHead(params, null));
      slot.appendChild(el('p', 'opening', t('gapsLoading')));
    }
    setState('loading');
    let data;
    try {
      data = await api('/api/gaps' + (gapsQuery(params) ? '?' + gapsQuery(params) : ''));
    } catch (e) {
      if (my !== state.seq) return;
      state.gaps.data = null;
      const slot = $('gaps-slot');
      slot.textContent = '';
      slot.appendChild(gapsHead(params, null)); // the date can still be corrected
      showError($('gaps-error'), e.message);
      setState('error');
      return;
    }
    if (my !== state.seq) return;
    state.gaps.data = data;
    renderGaps();
    if (!keep && !same) window.scrollTo(0, 0);
    setState('done');
    if (keep) {
      const n = $('gaps-notice');
      if (n) n.focus({ preventScroll: true });
    }
  }

  function rerenderGaps() {
    if (state.gaps && state.gaps.data) renderGaps();
    else if (state.gaps) openGaps(state.gaps.params);
  }

  function renderGaps() {
    const g = state.gaps;
    const d = obj(g.data);
    const byKey = new Map();
    list(d.entities).forEach((e) => byKey.set(str(e.key), e));
    document.title = t('gapsTitle') + ' · Baton';
    const slot = $('gaps-slot');
    slot.textContent = '';
    const root = el('div', 'gaps');
    root.id = 'gaps';
    root.dataset.asOf = str(d.as_of);
    root.appendChild(gapsHead(g.params, d));
    root.appendChild(gapsOverview(d));
    root.appendChild(gapsCoverage(d, byKey));
    root.appendChild(gapsNext(d, byKey));
    root.appendChild(gapsOthers(d, byKey));
    root.appendChild(gapsNotice());
    slot.appendChild(root);
  }

  // Title, the as-of date and staleness threshold (each change reloads), the Markdown download.
  function gapsHead(params, d) {
    const head = el('header', 'gaps-head');
    const h1 = el('h1', 'gaps-title', t('gapsTitle'));
    head.appendChild(h1);
    head.appendChild(el('p', 'gaps-lead', t('gapsLead')));
    const tools = el('div', 'gaps-tools');

    const dateLabel = el('label', 'gaps-field');
    dateLabel.appendChild(el('span', 'gaps-field-name', t('asOf')));
    const date = el('input');
    date.type = 'date';
    date.id = 'gaps-as-of';
    date.value = (d && str(d.as_of)) || params.as_of || '';
    date.addEventListener('change', () => {
      const v = date.value;
      if (v && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return;
      const next = Object.assign({}, params);
      if (v) next.as_of = v;
      else delete next.as_of;
      go(gapsHash(next));
    });
    dateLabel.appendChild(date);
    tools.appendChild(dateLabel);

    const daysLabel = el('label', 'gaps-field');
    daysLabel.appendChild(el('span', 'gaps-field-name', t('staleDays')));
    const days = el('input');
    days.type = 'number';
    days.id = 'gaps-stale-days';
    days.min = '1';
    days.max = '36500';
    days.inputMode = 'numeric';
    days.value = (d && d.stale_days !== undefined ? str(d.stale_days) : '') || params.stale_days || '';
    days.addEventListener('change', () => {
      const v = days.value.trim();
      if (v && !(/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 36500)) return;
      const next = Object.assign({}, params);
      if (v) next.stale_days = String(Number(v));
      else delete next.stale_days;
      go(gapsHash(next));
    });
    daysLabel.appendChild(days);
    tools.appendChild(daysLabel);

    if (params.as_of || params.stale_days) {
      const today = el('a', 'gaps-today', t('backToToday'));
      today.href = '#/gaps';
      tools.appendChild(today);
    }

    const dl = el('a', 'gaps-download', t('download'));
    dl.id = 'gaps-download';
    // The report's own date, so the download says what the page shows.
    const asOf = (d && str(d.as_of)) || params.as_of || '';
    dl.href = '/api/gaps?' + gapsQuery(Object.assign({}, params, asOf ? { as_of: asOf } : {}), { format: 'md' });
    dl.setAttribute('download', '');
    tools.appendChild(dl);
    head.appendChild(tools);

    if (readToken()) {
      const tk = el('p', 'gaps-token');
      tk.appendChild(el('span', '', t('tokenKept') + ' · '));
      const forget = el('button', 'link-button', t('tokenForget'));
      forget.type = 'button';
      forget.addEventListener('click', () => {
        writeToken('');
        tk.remove();
      });
      tk.appendChild(forget);
      head.appendChild(tk);
    }
    return head;
  }

  function gapsOverview(d) {
    const box = el('section', 'gaps-overview');
    box.setAttribute('aria-label', t('score'));
    const scoreBox = el('div', 'score-box');
    const score = Number(d.score);
    const num = el('p', 'score');
    num.id = 'gaps-score';
    num.appendChild(el('span', 'score-label', t('score')));
    num.appendChild(el('span', 'score-num', Number.isFinite(score) ? String(Math.round(score * 10) / 10) : '–'));
    num.appendChild(el('span', 'score-of', '/100'));
    scoreBox.appendChild(num);
    if (d.formula) scoreBox.appendChild(el('p', 'formula', str(d.formula)));
    box.appendChild(scoreBox);

    const meta = el('dl', 'gaps-meta');
    const add = (key, value, cls) => {
      if (!value) return;
      const row = el('div', 'meta-item' + (cls ? ' ' + cls : ''));
      row.appendChild(el('dt', '', t(key)));
      row.appendChild(el('dd', '', value));
      meta.appendChild(row);
    };
    const cl = obj(d.checklist);
    const source = cl.source ? (state.lang === 'en' ? ' (' + str(cl.source) + ')' : '（' + str(cl.source) + '）') : '';
    add('checklist', str(cl.name) + source, 'gaps-checklist');
    add('asOf', str(d.as_of));
    add('staleDays', d.stale_days !== undefined ? fmtCount(d.stale_days) : '');
    add('documents', d.documents !== undefined ? fmtCount(d.documents) : '');
    box.appendChild(meta);
    return box;
  }

  function stateLabel(st) {
    const pill = el('span', 'pill state-' + st);
    pill.appendChild(el('span', 'pill-mark', STATE_MARK[st])).setAttribute('aria-hidden', 'true');
    pill.appendChild(el('span', 'pill-text', t('states')[st]));
    return pill;
  }

  function localName(x) {
    const zh = str(x.zh);
    const en = str(x.en);
    return state.lang === 'en' ? en || zh : zh || en;
  }

  function safeId(s) {
    return str(s).replace(/[^A-Za-z0-9_-]/g, '_');
  }

  function gapsCoverage(d, byKey) {
    const sec = el('section', 'coverage');
    sec.setAttribute('aria-labelledby', 'coverage-title');
    const h2 = el('h2', 'gaps-h2', t('coverage'));
    h2.id = 'coverage-title';
    sec.appendChild(h2);
    const areas = list(d.areas);
    const counts = { covered: 0, partial: 0, missing: 0 };
    areas.forEach((a) => counts[stateOf(a.state)]++);
    const sum = el('p', 'coverage-summary');
    sum.appendChild(document.createTextNode(
      t('coverageSummary')(fmtCount(counts.covered), fmtCount(counts.partial), fmtCount(counts.missing))));
    sum.appendChild(el('span', 'coverage-hint', t('coverageHint')));
    sec.appendChild(sum);
    const ol = el('ol', 'areas');
    ol.id = 'areas';
    areas.forEach((a) => ol.appendChild(areaRow(a, byKey)));
    sec.appendChild(ol);
    return sec;
  }

  function areaRow(a, byKey) {
    const id = str(a.id);
    const st = stateOf(a.state);
    const open = state.gaps.open.has(id);
    const li = el('li', 'area state-' + st);
    li.dataset.area = id;
    li.dataset.state = st;
    const detailId = 'area-detail-' + safeId(id);
    const btn = el('button', 'area-row');
    btn.type = 'button';
    btn.setAttribute('aria-expanded', open ? 'true' : 'false');
    btn.setAttribute('aria-controls', detailId);
    const other = state.lang === 'en' ? str(a.zh) : str(a.en);
    const name = el('span', 'area-name', localName(a) || id);
    if (other) name.title = other;
    btn.appendChild(name);
    const score = Math.min(1, Math.max(0, Number(a.score) || 0));
    const pct = Math.round(score * 100);
    const bar = el('span', 'bar');
    bar.setAttribute('aria-hidden', 'true');
    const fill = el('span', 'bar-fill');
    fill.style.width = pct + '%'; // CSSOM, not a style attribute: allowed by the CSP
    bar.appendChild(fill);
    btn.appendChild(bar);
    btn.appendChild(el('span', 'area-pct', pct + '%'));
    btn.appendChild(stateLabel(st));
    li.appendChild(btn);

    const detail = el('div', 'area-detail');
    detail.id = detailId;
    detail.hidden = !open;
    if (a.what) detail.appendChild(el('p', 'area-what', t('areaWhat') + str(a.what)));
    if (a.missing) detail.appendChild(el('p', 'area-missing', t('areaMissing') + str(a.missing)));
    const keys = list(a.entities).map(str);
    if (keys.length) {
      detail.appendChild(el('h3', 'detail-title', t('areaEntities')));
      const ul = el('ul', 'area-entities');
      keys.forEach((k) => {
        const e = byKey.get(k);
        const item = el('li', 'area-entity');
        item.appendChild(el('span', 'area-entity-name', e ? str(e.name) || k : k));
        if (e) item.appendChild(stateLabel(stateOf(e.write_up)));
        ul.appendChild(item);
      });
      detail.appendChild(ul);
    }
    const evs = list(a.evidence);
    if (evs.length) {
      detail.appendChild(el('h3', 'detail-title', t('areaEvidence')));
      detail.appendChild(evidenceList(evs, 'area-evidence'));
    } else {
      detail.appendChild(el('p', 'muted no-evidence', t('noEvidence')));
    }
    li.appendChild(detail);

    btn.addEventListener('click', () => {
      const show = detail.hidden;
      detail.hidden = !show;
      btn.setAttribute('aria-expanded', show ? 'true' : 'false');
      if (show) state.gaps.open.add(id);
      else state.gaps.open.delete(id);
    });
    return li;
  }

  // A link to the section (or document) a piece of evidence points at.
  function evidenceLink(ev, label, q) {
    const e = obj(ev);
    const id = str(e.unit) || str(e.doc);
    const text = label || str(e.title) || str(e.path) || t('untitled');
    if (!id) return el('span', 'ev-link', text);
    const a = el('a', 'ev-link', text);
    a.href = docHash(id, q || '');
    return a;
  }

  function evidenceItem(ev) {
    const e = obj(ev);
    const li = el('li', 'ev');
    li.appendChild(evidenceLink(e));
    if (e.section) li.appendChild(el('span', 'ev-section', str(e.section)));
    if (e.path && str(e.path) !== str(e.title)) li.appendChild(el('span', 'ev-path', str(e.path)));
    if (e.date) li.appendChild(el('span', 'ev-date', str(e.date)));
    return li;
  }

  function evidenceList(evs, cls) {
    const ul = el('ul', 'evidence' + (cls ? ' ' + cls : ''));
    evs.forEach((ev) => ul.appendChild(evidenceItem(ev)));
    return ul;
  }

  // ---- what to write next ----

  function gapsNext(d, byKey) {
    const entities = list(d.entities);
    const demand = obj(d.demand);
    const hygiene = obj(d.hygiene);
    const groups = [
      { id: 'undocumented', items: entities.filter((e) => stateOf(e.write_up) === 'missing'), render: (e) => entityRow(e, entities) },
      { id: 'partial', items: entities.filter((e) => stateOf(e.write_up) === 'partial'), render: (e) => entityRow(e, entities) },
      { id: 'facts', items: list(d.conversation_only), render: (f) => factRow(f, byKey) },
      {
        id: 'demand',
        items: list(demand.not_found).map((x) => ({ x, opened: false }))
          .concat(list(demand.not_opened).map((x) => ({ x, opened: true }))),
        render: demandRow,
      },
      { id: 'questions', items: list(demand.questions), render: questionRow },
      { id: 'stale', items: list(hygiene.stale), render: staleRow },
      { id: 'markers', items: list(hygiene.markers), render: markerRow },
      { id: 'references', items: list(hygiene.broken_references), render: referenceRow },
      { id: 'secrets', items: list(d.secrets), render: secretRow },
    ];

    const sec = el('section', 'next');
    sec.setAttribute('aria-labelledby', 'next-title');
    const h2 = el('h2', 'gaps-h2', t('writeNext'));
    h2.id = 'next-title';
    sec.appendChild(h2);
    sec.appendChild(el('p', 'gaps-lead', t('writeNextLead')));

    // A ranked table of contents: every group with its count, the empty ones too (nothing to do is news).
    const toc = el('ol', 'next-toc');
    groups.forEach((g) => {
      const li = el('li', g.items.length ? '' : 'empty-group');
      if (g.items.length) {
        const b = el('button', 'link-button', t('groups')[g.id]);
        b.type = 'button';
        b.addEventListener('click', () => {
          const h = $('group-' + g.id + '-title');
          if (!h) return;
          h.scrollIntoView({ block: 'start' });
          h.focus({ preventScroll: true });
        });
        li.appendChild(b);
      } else {
        li.appendChild(el('span', '', t('groups')[g.id]));
      }
      li.appendChild(el('span', 'toc-count', fmtCount(g.items.length)));
      toc.appendChild(li);
    });
    sec.appendChild(toc);

    groups.forEach((g) => {
      if (g.items.length) sec.appendChild(groupSection(g.id, g.items, g.render));
    });
    sec.appendChild(addEntityBox());
    return sec;
  }

  // What the report missed, added by name (POST /api/entities/decision {"key": name, "action": "add",
  // "value": kind} with the editor token); the next report finds it in the material like any other.
  function addEntityBox() {
    const box = el('section', 'todo-group add-entity');
    box.id = 'add-entity';
    const h3 = el('h3', 'group-title', t('addTitle'));
    h3.id = 'add-entity-title';
    box.setAttribute('aria-labelledby', h3.id);
    box.appendChild(h3);
    box.appendChild(el('p', 'group-hint', t('addLead')));
    const form = el('form', 'ent-form add-entity-form');
    form.setAttribute('autocomplete', 'off');
    const name = el('input', 'ent-input add-entity-name');
    name.type = 'text';
    name.required = true;
    name.minLength = 2;
    name.maxLength = 60;
    fieldLabel(form, t('addName'), name);
    const kind = el('select', 'ent-input add-entity-kind');
    ENTITY_KINDS.forEach((k) => {
      const opt = el('option', '', t('entityKinds')[k]);
      opt.value = k;
      kind.appendChild(opt);
    });
    fieldLabel(form, t('addKind'), kind);
    const submit = el('button', 'btn btn-primary', t('addButton'));
    submit.type = 'submit';
    form.appendChild(submit);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const v = name.value.trim();
      if (v) decide({ key: v, name: v }, 'add', kind.value, box, submit);
    });
    box.appendChild(form);
    const panel = el('div', 'ent-panel');
    panel.hidden = true;
    box.appendChild(panel);
    return box;
  }

  function groupSection(id, items, render) {
    const box = el('section', 'todo-group');
    box.id = 'group-' + id;
    box.dataset.group = id;
    const h3 = el('h3', 'group-title');
    h3.id = 'group-' + id + '-title';
    h3.tabIndex = -1;
    h3.appendChild(el('span', '', t('groups')[id]));
    h3.appendChild(el('span', 'group-count', t('groupCount')(fmtCount(items.length))));
    box.setAttribute('aria-labelledby', h3.id);
    box.appendChild(h3);
    box.appendChild(el('p', 'group-hint', t('groupHints')[id]));
    const ol = el('ol', 'todo-list');
    const all = state.gaps.showAll.has(id);
    items.forEach((item, i) => {
      if (!all && i >= GROUP_SHOWN) return;
      ol.appendChild(render(item));
    });
    box.appendChild(ol);
    if (!all && items.length > GROUP_SHOWN) {
      const more = el('button', 'link-button show-all', t('showAll')(fmtCount(items.length)));
      more.type = 'button';
      more.addEventListener('click', () => {
        state.gaps.showAll.add(id);
        const again = groupSection(id, items, render);
        box.replaceWith(again);
        const next = again.querySelectorAll('.todo-list > li')[GROUP_SHOWN];
        const focusable = next && next.querySelector('a, button');
        if (focusable) focusable.focus();
      });
      box.appendChild(more);
    }
    return box;
  }

  function kindBadge(kind) {
    const k = str(kind);
    const known = ENTITY_KINDS.indexOf(k) >= 0;
    const b = el('span', 'badge ent-kind ent-kind-' + (known ? k : 'other'), known ? t('entityKinds')[k] : k || '?');
    b.dataset.kind = k;
    return b;
  }

  function entityRow(e, all) {
    const li = el('li', 'ent');
    const key = str(e.key);
    const name = str(e.name) || key;
    li.dataset.key = key;
    li.dataset.writeUp = stateOf(e.write_up);

    const head = el('div', 'ent-head');
    head.appendChild(el('span', 'ent-name', name));
    head.appendChild(kindBadge(e.kind));
    if (str(e.decision) === 'confirmed') head.appendChild(el('span', 'badge ent-confirmed', t('confirmedTag')));
    if (str(e.decision) === 'added') head.appendChild(el('span', 'badge ent-confirmed ent-added', t('addedTag')));
    const meta = [];
    const conv = Number(e.conversations) || 0;
    const ment = Number(e.mentions) || 0;
    if (conv) meta.push(t('conversations')(fmtCount(conv)));
    if (ment) meta.push(t('mentions')(fmtCount(ment)));
    if (e.last_seen) meta.push(t('lastSeen')(str(e.last_seen)));
    if (meta.length) head.appendChild(el('span', 'ent-meta', meta.join(' · ')));
    li.appendChild(head);

    const aliases = list(e.aliases).map(str).filter(Boolean);
    if (aliases.length) li.appendChild(labelled('ent-aliases', t('aliases'), el('span', '', aliases.join('、'))));
    if (stateOf(e.write_up) !== 'missing') {
      if (e.summary) li.appendChild(el('p', 'ent-summary', str(e.summary)));
      const fields = list(e.fields);
      if (fields.length) {
        const ul = el('ul', 'fields');
        fields.forEach((f) => {
          const st = stateOf(f.state);
          const item = el('li', 'field state-' + st);
          item.dataset.field = str(f.id);
          item.dataset.state = st;
          item.appendChild(el('span', 'pill-mark', STATE_MARK[st])).setAttribute('aria-hidden', 'true');
          const evs = list(f.evidence);
          const label = localName(f) || str(f.id);
          item.appendChild(evs.length ? evidenceLink(evs[0], label) : el('span', '', label));
          item.appendChild(el('span', 'visually-hidden', '（' + t('states')[st] + '）'));
          ul.appendChild(item);
        });
        li.appendChild(labelled('ent-fields', t('fields'), ul));
      }
      const ups = list(e.write_ups);
      if (ups.length) li.appendChild(labelled('ent-writeups', t('writeUps'), evidenceList(ups)));
    }
    const seen = list(e.seen_in);
    if (seen.length) li.appendChild(labelled('ent-seen', t('seenIn'), evidenceList(seen)));

    li.appendChild(entityActions(e, all, li));
    const panel = el('div', 'ent-panel');
    panel.hidden = true;
    li.appendChild(panel);
    return li;
  }

  function labelled(cls, label, body) {
    const box = el('div', 'labelled ' + cls);
    box.appendChild(el('span', 'labelled-name', label));
    box.appendChild(body);
    return box;
  }

  function factRow(f, byKey) {
    const li = el('li', 'fact');
    const e = byKey.get(str(f.entity));
    li.appendChild(el('div', 'fact-about', t('factAbout')(e ? str(e.name) || str(f.entity) : str(f.entity))));
    li.appendChild(el('blockquote', 'fact-text', str(f.fact)));
    const src = obj(f.source);
    const line = el('div', 'fact-source');
    line.appendChild(el('span', 'labelled-name', t('source')));
    line.appendChild(evidenceLink(src));
    if (src.date) line.appendChild(el('span', 'ev-date', str(src.date)));
    li.appendChild(line);
    return li;
  }

  function demandRow(item) {
    const x = obj(item.x);
    const li = el('li', 'demand' + (item.opened ? ' demand-not-opened' : ''));
    const q = str(x.query) || str(x.example);
    const a = el('a', 'demand-q', q);
    a.href = searchHash({ q: str(x.example) || q, filters: {}, sort: 'relevance', offset: 0 });
    li.appendChild(a);
    const meta = [];
    const n = fmtCount(Number(x.searches) || 0);
    meta.push(item.opened ? t('searchesNotOpened')(n) : t('searches')(n, fmtCount(Number(x.zero_hits) || 0)));
    if (x.last) meta.push(t('lastTime')(str(x.last).replace('T', ' ').replace(/Z$/, ' UTC')));
    li.appendChild(el('span', 'demand-meta', meta.join(' · ')));
    return li;
  }

  function questionRow(q) {
    const li = el('li', 'demand open-question');
    li.appendChild(el('span', 'demand-q', str(q.question)));
    const meta = [t('askedTimes')(fmtCount(Number(q.count) || 1))];
    if (q.asker) meta.push(str(q.asker));
    if (q.last_asked) meta.push(t('lastTime')(str(q.last_asked).replace('T', ' ').replace(/Z$/, ' UTC')));
    li.appendChild(el('span', 'demand-meta', meta.join(' · ')));
    return li;
  }

  function staleRow(s) {
    const li = el('li', 'stale-doc');
    const doc = obj(s.doc);
    li.appendChild(evidenceLink(doc, str(s.path) || str(doc.path)));
    li.appendChild(el('span', 'stale-when', t('updated')(str(s.updated), fmtCount(Number(s.days) || 0))));
    if (doc.title && str(doc.title) !== str(s.path)) li.appendChild(el('span', 'ev-section', str(doc.title)));
    return li;
  }

  function lineLabel(x) {
    const path = str(x.path) || str(obj(x.doc).path);
    return x.line ? path + ':' + str(x.line) : path;
  }

  function markerRow(m) {
    const li = el('li', 'marker');
    li.appendChild(evidenceLink(m.doc, lineLabel(m), str(m.label)));
    if (m.label) li.appendChild(el('span', 'badge marker-label', str(m.label)));
    if (m.excerpt) li.appendChild(el('div', 'excerpt', str(m.excerpt)));
    return li;
  }

  function referenceRow(r) {
    const li = el('li', 'reference');
    li.appendChild(evidenceLink(r.doc, lineLabel(r)));
    li.appendChild(el('span', 'ref-target', t('refersTo')(str(r.value))));
    if (r.excerpt) li.appendChild(el('div', 'excerpt', str(r.excerpt)));
    return li;
  }

  // Where, what type and the masked value: nothing else of the line, even masked.
  function secretRow(s) {
    const li = el('li', 'secret');
    li.appendChild(evidenceLink(s.doc, lineLabel(s)));
    li.appendChild(labelled('secret-type', t('secretType'), el('span', 'badge', str(s.label))));
    li.appendChild(labelled('secret-value', t('secretValue'), el('code', 'masked', str(s.value))));
    return li;
  }

  function gapsOthers(d, byKey) {
    const entities = list(d.entities);
    const done = entities.filter((e) => stateOf(e.write_up) === 'covered');
    const own = list(d.own_organisation).map(str).filter(Boolean);
    const box = el('section', 'others');
    if (!done.length && !own.length) return box;
    const det = el('details', 'others-box');
    det.appendChild(el('summary', 'others-summary', t('others')(fmtCount(done.length))));
    det.appendChild(el('p', 'group-hint', t('othersLead')));
    if (own.length) det.appendChild(el('p', 'own-org', t('ownOrg') + own.join('、')));
    const ol = el('ol', 'todo-list');
    done.forEach((e) => ol.appendChild(entityRow(e, entities)));
    det.appendChild(ol);
    box.appendChild(det);
    return box;
  }

  // ---- entity decisions ----

  function readToken() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (e) {
      return state.editorToken || '';
    }
  }

  function writeToken(v) {
    state.editorToken = v;
    try {
      if (v) window.sessionStorage.setItem(TOKEN_KEY, v);
      else window.sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) {
      // storage disabled: state.editorToken keeps it for this page
    }
  }

  function entityActions(e, all, row) {
    const name = str(e.name) || str(e.key);
    const box = el('div', 'ent-actions');
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', t('actionsLabel')(name));
    const add = (action, handler) => {
      const b = el('button', 'act act-' + action, t('actions')[action]);
      b.type = 'button';
      b.dataset.action = action;
      b.title = t('actionHints')[action];
      b.addEventListener('click', () => handler(b));
      box.appendChild(b);
    };
    // One a person added is that addition: it can be renamed, given another kind or taken back.
    if (str(e.decision) === 'added') {
      add('undo', (b) => decide(e, 'undo', '', row, b));
      add('rename', (b) => askValue(e, 'rename', all, row, b));
      add('kind', (b) => askValue(e, 'kind', all, row, b));
      return box;
    }
    if (str(e.decision) === 'confirmed') add('undo', (b) => decide(e, 'undo', '', row, b));
    else add('confirm', (b) => decide(e, 'confirm', '', row, b));
    add('ignore', (b) => decide(e, 'ignore', '', row, b));
    add('rename', (b) => askValue(e, 'rename', all, row, b));
    add('merge', (b) => askValue(e, 'merge', all, row, b));
    add('kind', (b) => askValue(e, 'kind', all, row, b));
    return box;
  }

  // A small form in the entity's panel: a field, OK and Cancel; Escape cancels and gives the focus back.
  function panelForm(row, opener, build, submit) {
    const panel = row.querySelector('.ent-panel');
    panel.textContent = '';
    panel.hidden = false;
    const form = el('form', 'ent-form');
    form.setAttribute('autocomplete', 'off');
    const field = build(form);
    const ok = el('button', 'btn btn-primary', t('ok'));
    ok.type = 'submit';
    const cancel = el('button', 'btn', t('cancel'));
    cancel.type = 'button';
    const close = () => {
      panel.textContent = '';
      panel.hidden = true;
      if (opener && opener.isConnected) opener.focus();
    };
    cancel.addEventListener('click', close);
    form.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        close();
      }
    });
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      submit(field);
    });
    const buttons = el('span', 'ent-form-buttons');
    buttons.appendChild(ok);
    buttons.appendChild(cancel);
    form.appendChild(buttons);
    panel.appendChild(form);
    if (field) field.focus();
    return panel;
  }

  let formSeq = 0;

  // The editor-token field of a form (gaps decisions, answers), with why it is asked for; returns the input.
  function tokenFields(form, why) {
    if (why) {
      const err = el('p', 'ent-error', why);
      err.setAttribute('role', 'alert');
      form.appendChild(err);
    }
    form.appendChild(el('p', 'ent-hint', t('tokenHint')));
    const input = el('input', 'ent-input ent-token');
    input.type = 'password';
    input.required = true;
    input.setAttribute('autocomplete', 'off');
    input.spellcheck = false;
    return fieldLabel(form, t('tokenLabel'), input);
  }

  function fieldLabel(form, text, input) {
    const id = 'ent-field-' + ++formSeq;
    input.id = id;
    const label = el('label', 'ent-form-label', text);
    label.htmlFor = id;
    form.appendChild(label);
    form.appendChild(input);
    return input;
  }

  function askValue(e, action, all, row, opener) {
    const name = str(e.name) || str(e.key);
    if (action === 'rename') {
      panelForm(row, opener, (form) => {
        const input = el('input', 'ent-input');
        input.type = 'text';
        input.required = true;
        input.maxLength = 100;
        input.value = name;
        return fieldLabel(form, t('renameLabel')(name), input);
      }, (input) => {
        const v = input.value.trim();
        if (v && v !== name) decide(e, 'rename', v, row, opener);
      });
    } else if (action === 'merge') {
      const others = all.filter((o) => str(o.key) !== str(e.key));
      if (!others.length) {
        panelMessage(row, t('mergeNone'), false);
        return;
      }
      panelForm(row, opener, (form) => {
        const sel = el('select', 'ent-input ent-merge');
        others.forEach((o) => {
          const opt = el('option', '', (str(o.name) || str(o.key)) + ' · ' + kindName(o.kind));
          opt.value = str(o.key);
          sel.appendChild(opt);
        });
        return fieldLabel(form, t('mergeLabel')(name), sel);
      }, (sel) => decide(e, 'merge', sel.value, row, opener));
    } else if (action === 'kind') {
      panelForm(row, opener, (form) => {
        const sel = el('select', 'ent-input ent-kind-select');
        ENTITY_KINDS.forEach((k) => {
          const opt = el('option', '', t('entityKinds')[k]);
          opt.value = k;
          if (k === str(e.kind)) opt.selected = true;
          sel.appendChild(opt);
        });
        return fieldLabel(form, t('kindLabel')(name), sel);
      }, (sel) => {
        if (sel.value !== str(e.kind)) decide(e, 'kind', sel.value, row, opener);
      });
    }
  }

  function kindName(kind) {
    const k = str(kind);
    return ENTITY_KINDS.indexOf(k) >= 0 ? t('entityKinds')[k] : k;
  }

  // The token form, with why it is asked for (or why the last one failed); then the decision again.
  function askToken(e, action, value, row, opener, why) {
    const panel = panelForm(row, opener, (form) => tokenFields(form, why), (input) => {
      const v = input.value.trim();
      if (!v) return;
      writeToken(v);
      decide(e, action, value, row, opener);
    });
    panel.classList.add('ent-panel-token');
  }

  function panelMessage(row, text, error) {
    const panel = row.querySelector('.ent-panel');
    panel.textContent = '';
    panel.hidden = false;
    const p = el('p', error ? 'ent-error' : 'ent-hint', text);
    p.setAttribute('role', error ? 'alert' : 'status');
    panel.appendChild(p);
    return panel;
  }

  // What a refused write (a decision, an answer) tells the person: a wrong token is forgotten and asked
  // for again (askAgain), anything else is said in the form (say).
  function writeFailed(r, askAgain, say) {
    const said = r.error ? ' ' + t('serverSaid')(r.error) : '';
    if (r.status === 401) {
      writeToken('');
      askAgain(t('err401'));
    } else if (r.status === 403) {
      say(t('err403') + said);
    } else if (r.status === 400) {
      say(t('err400') + (r.error || t('httpError')(400)));
    } else if (r.status === 0) {
      say(t('netError'));
    } else {
      say(t('httpError')(r.status) + said);
    }
  }

  async function postDecision(body, token) {
    let res;
    try {
      res = await fetch('/api/entities/decision', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: 'Bearer ' + token },
        body: JSON.stringify(body),
      });
    } catch (err) {
      return { ok: false, status: 0, error: '' };
    }
    let data = null;
    try {
      data = await res.json();
    } catch (err) {
      data = null;
    }
    const error = data && typeof data.error === 'string' ? data.error : '';
    return { ok: res.ok, status: res.status, error };
  }

  async function decide(e, action, value, row, opener) {
    const token = readToken();
    if (!token) {
      askToken(e, action, value, row, opener, '');
      return;
    }
    const buttons = Array.prototype.slice.call(row.querySelectorAll('.ent-actions button'));
    buttons.forEach((b) => (b.disabled = true));
    panelMessage(row, t('saving'), false);
    const r = await postDecision({ key: str(e.key), action, value }, token);
    buttons.forEach((b) => (b.disabled = false));
    if (!r.ok) {
      writeFailed(r, (why) => askToken(e, action, value, row, opener, why), (msg) => panelMessage(row, msg, true));
      return;
    }
    const name = str(e.name) || str(e.key);
    let shown = value;
    if (action === 'kind' || action === 'add') shown = kindName(value);
    if (action === 'merge' && state.gaps && state.gaps.data) {
      const into = list(state.gaps.data.entities).find((o) => str(o.key) === value);
      if (into) shown = str(into.name) || value;
    }
    if (!state.gaps || state.view !== 'gaps') return; // the user went elsewhere meanwhile
    state.gaps.notice = { action, name, value: shown, key: str(e.key) };
    await openGaps(state.gaps.params, { keep: true });
  }

  // What the last decision did, with a way to undo it; it sticks to the bottom of the window.
  function gapsNotice() {
    const box = el('div', 'gaps-notice');
    const n = state.gaps.notice;
    if (!n) {
      box.hidden = true;
      return box;
    }
    box.id = 'gaps-notice';
    box.tabIndex = -1;
    box.setAttribute('role', 'status');
    const text = t('done')[n.action];
    box.appendChild(el('span', 'notice-text', text ? text(n.name, n.value) : n.action));
    const row = el('span', 'notice-row');
    if (n.action !== 'undo') {
      const undo = el('button', 'btn', t('actions').undo);
      undo.type = 'button';
      undo.addEventListener('click', (ev) => decide({ key: n.key, name: n.name }, 'undo', '', box, ev.currentTarget));
      row.appendChild(undo);
    }
    const x = el('button', 'btn notice-close', '×');
    x.type = 'button';
    x.setAttribute('aria-label', t('close'));
    x.title = t('close');
    x.addEventListener('click', () => {
      state.gaps.notice = null;
      box.remove();
    });
    row.appendChild(x);
    box.appendChild(row);
    const panel = el('div', 'ent-panel');
    panel.hidden = true;
    box.appendChild(panel);
    return box;
  }

  // ---- questions -----------------------------------------------------------------------------------
  //
  // #/questions?status=open&q=… asks (POST /api/questions, no token) and lists questions by status. Every
  // field of a question is someone's text and goes in as text; only a suggestion's `snippet` (escaped by the
  // server, <mark> only) goes in as HTML. Answering and closing use the editor token of the gap page.

  const Q_LIMIT = 50;
  const ASKER_KEY = 'baton.asker';

  function questionsHash(status, q) {
    const p = new URLSearchParams();
    if (status && status !== 'open') p.set('status', status);
    if (q) p.set('q', q);
    const qs = p.toString();
    return qs ? '#/questions?' + qs : '#/questions';
  }

  function fmtTime(v) {
    return str(v).replace('T', ' ').replace(/Z$/, ' UTC');
  }

  function readAsker() {
    try {
      return window.localStorage.getItem(ASKER_KEY) || '';
    } catch (e) {
      return '';
    }
  }

  function writeAsker(v) {
    try {
      window.localStorage.setItem(ASKER_KEY, v);
    } catch (e) {
      // not kept; fine
    }
  }

  async function openQuestions(status, prefill) {
    const prev = state.view === 'questions' ? state.questions : null;
    showView('questions');
    state.doc = null;
    state.selected = -1;
    state.from = questionsHash(status);
    document.title = t('qTitle') + ' · Baton';
    $('q').value = '';
    state.questions = {
      status,
      data: null,
      limit: Q_LIMIT,
      asked: prev ? prev.asked : null,
      notice: prev ? prev.notice : null,
      draft: prefill || (prev && $('ask-q') ? $('ask-q').value : ''),
    };
    renderQuestions(false);
    await loadQuestions();
  }

  async function loadQuestions() {
    const my = ++state.seq;
    const qs = state.questions;
    showError($('questions-error'), '');
    setState('loading');
    let data;
    try {
      data = await api('/api/questions?status=' + encodeURIComponent(qs.status) + '&limit=' + qs.limit);
    } catch (e) {
      if (my !== state.seq) return;
      showError($('questions-error'), e.message);
      setState('error');
      return;
    }
    if (my !== state.seq || state.questions !== qs) return;
    qs.data = data;
    renderList();
    setState('done');
  }

  function renderQuestions(keepDraft) {
    const qs = state.questions;
    const slot = $('questions-slot');
    const old = $('ask-q');
    if (keepDraft && old) qs.draft = old.value;
    slot.textContent = '';
    const root = el('div', 'questions');
    root.id = 'questions';
    root.dataset.status = qs.status;
    const head = el('header', 'gaps-head');
    head.appendChild(el('h1', 'gaps-title', t('qTitle')));
    head.appendChild(el('p', 'gaps-lead', t('qLead')));
    root.appendChild(head);
    root.appendChild(askForm());
    const result = el('div', 'ask-result');
    result.id = 'ask-result';
    root.appendChild(result);
    const notice = el('div', 'q-notice');
    notice.id = 'q-notice';
    notice.setAttribute('role', 'status');
    notice.tabIndex = -1;
    root.appendChild(notice);
    const sec = el('section', 'q-list-box');
    sec.setAttribute('aria-labelledby', 'q-list-title');
    const h2 = el('h2', 'gaps-h2', t('qListTitle'));
    h2.id = 'q-list-title';
    sec.appendChild(h2);
    sec.appendChild(statusFilter(qs.status));
    const info = el('p', 'q-total');
    info.id = 'q-total';
    sec.appendChild(info);
    const ol = el('ol', 'q-list');
    ol.id = 'question-list';
    sec.appendChild(ol);
    const more = el('button', 'btn q-more', t('qMore'));
    more.type = 'button';
    more.id = 'q-more';
    more.hidden = true;
    more.addEventListener('click', () => {
      qs.limit += Q_LIMIT;
      loadQuestions();
    });
    sec.appendChild(more);
    root.appendChild(sec);
    slot.appendChild(root);
    renderAskResult();
    renderNotice();
    if (qs.data) renderList();
    else info.textContent = t('qLoading');
  }

  function askForm() {
    const qs = state.questions;
    const form = el('form', 'ask-form');
    form.id = 'ask-form';
    form.setAttribute('autocomplete', 'off');
    const ql = el('label', 'q-label', t('qAskLabel'));
    ql.htmlFor = 'ask-q';
    form.appendChild(ql);
    const ta = el('textarea', 'q-input ask-q');
    ta.id = 'ask-q';
    ta.rows = 3;
    ta.required = true;
    ta.maxLength = 2000;
    ta.placeholder = t('qAskPlaceholder');
    ta.value = qs.draft || '';
    form.appendChild(ta);
    const row = el('div', 'ask-row');
    const nl = el('label', 'q-label', t('qNameLabel'));
    nl.htmlFor = 'ask-name';
    row.appendChild(nl);
    const name = el('input', 'q-input ask-name');
    name.id = 'ask-name';
    name.type = 'text';
    name.maxLength = 200;
    name.value = readAsker();
    row.appendChild(name);
    const b = el('button', 'btn btn-primary', t('qAskButton'));
    b.type = 'submit';
    b.id = 'ask-submit';
    row.appendChild(b);
    form.appendChild(row);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      ask(ta, name, b);
    });
    return form;
  }

  async function ask(ta, name, button) {
    const question = ta.value.trim();
    if (!question) return;
    const asker = name.value.trim();
    writeAsker(asker);
    const qs = state.questions;
    button.disabled = true;
    const result = $('ask-result');
    result.textContent = '';
    result.appendChild(el('p', 'ent-hint', t('qAsking')));
    let res;
    let data = null;
    try {
      res = await fetch('/api/questions', {
        method: 'POST',
        headers: authHeaders({ 'Content-Type': 'application/json' }),
        body: JSON.stringify({ question, asker, channel: 'web' }),
      });
      data = await res.json().catch(() => null);
    } catch (e) {
      res = null;
    }
    button.disabled = false;
    if (state.questions !== qs) return;
    if (!res || !res.ok || !data || typeof data !== 'object') {
      result.textContent = '';
      const msg = !res ? t('netError')
        : data && typeof data.error === 'string' && data.error ? t('err400') + data.error : t('httpError')(res.status);
      const p = el('p', 'ent-error', msg);
      p.setAttribute('role', 'alert');
      result.appendChild(p);
      return;
    }
    qs.asked = data;
    qs.draft = '';
    ta.value = '';
    // The prefilled query has done its job: a reload must not fill it in again.
    if (parseHash().name === 'questions') history.replaceState(history.state, '', questionsHash(qs.status));
    renderAskResult();
    loadQuestions();
  }

  function renderAskResult() {
    const result = $('ask-result');
    const d = state.questions.asked;
    result.textContent = '';
    if (!d) return;
    const box = el('div', 'ask-done' + (d.merged ? ' merged' : ''));
    box.setAttribute('role', 'status');
    box.dataset.id = str(d.id);
    box.dataset.merged = d.merged ? 'true' : 'false';
    box.dataset.count = str(d.count);
    box.appendChild(el('p', 'ask-done-text', d.merged ? t('qMerged')(fmtCount(Number(d.count) || 1)) : t('qAsked')));
    box.appendChild(el('p', 'ask-done-q', str(d.question)));
    box.appendChild(suggestionList(d.suggestions, true));
    result.appendChild(box);
  }

  function suggestionList(v, showNone) {
    const sugg = list(v);
    const box = el('div', 'q-suggestions');
    if (!sugg.length) {
      if (showNone) box.appendChild(el('p', 'muted', t('qNoSuggestions')));
      return box;
    }
    box.appendChild(el('h3', 'detail-title', t('qSuggestions')));
    const ul = el('ul', 'q-sugg-list');
    sugg.forEach((x) => {
      const h = obj(x);
      const li = el('li', 'q-sugg');
      const id = str(h.id) || str(h.doc);
      const title = str(h.title) || str(h.path) || t('untitled');
      const a = id ? el('a', 'q-sugg-title', title) : el('span', 'q-sugg-title', title);
      if (id) a.href = docHash(id);
      li.appendChild(a);
      if (h.section) li.appendChild(el('span', 'ev-section', str(h.section)));
      if (h.snippet) {
        const sn = el('div', 'snippet');
        sn.innerHTML = str(h.snippet); // escaped by the server, <mark> only
        li.appendChild(sn);
      }
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }

  function statusFilter(current) {
    const nav = el('nav', 'q-filter');
    nav.setAttribute('aria-label', t('qFilterLabel'));
    Q_STATUSES.forEach((st) => {
      const a = el('a', 'q-filter-link' + (st === current ? ' active' : ''), t('qStatus')[st]);
      a.href = questionsHash(st);
      a.dataset.status = st;
      if (st === current) a.setAttribute('aria-current', 'true');
      nav.appendChild(a);
    });
    return nav;
  }

  function renderList() {
    const qs = state.questions;
    const ol = $('question-list');
    if (!ol || !qs.data) return;
    ol.textContent = '';
    const items = list(qs.data.questions);
    const total = Math.max(items.length, Number(qs.data.total) || 0);
    const info = $('q-total');
    info.textContent = !total ? t('qNone')
      : items.length < total ? t('qShown')(fmtCount(items.length), fmtCount(total)) : t('qTotal')(fmtCount(total));
    items.forEach((q) => ol.appendChild(questionItem(obj(q))));
    $('q-more').hidden = items.length >= total;
  }

  function questionItem(q) {
    const st = str(q.status);
    const li = el('li', 'question status-' + (Q_STATUSES.indexOf(st) >= 0 ? st : 'other'));
    li.dataset.id = str(q.id);
    li.dataset.status = st;
    li.dataset.count = str(q.count);
    const head = el('div', 'question-head');
    head.appendChild(el('span', 'badge q-status', t('qStatus')[st] || st));
    head.appendChild(el('span', 'question-text', str(q.question)));
    li.appendChild(head);
    const meta = [];
    if (q.asker) meta.push(t('qAsker')(str(q.asker)));
    if (q.channel) meta.push(t('qChannel')(str(q.channel)));
    meta.push(t('askedTimes')(fmtCount(Number(q.count) || 1)));
    if (q.created_at) meta.push(t('qCreated')(fmtTime(q.created_at)));
    if (q.last_asked_at && str(q.last_asked_at) !== str(q.created_at)) meta.push(t('qLastAsked')(fmtTime(q.last_asked_at)));
    li.appendChild(el('div', 'question-meta', meta.join(' · ')));
    if (q.answer !== null && q.answer !== undefined) li.appendChild(answerBlock(q));
    li.appendChild(suggestionList(q.suggestions, false));
    if (st === 'open' || st === 'answered') {
      const actions = el('div', 'q-actions');
      let form = null;
      if (st === 'open') {
        const toggle = el('button', 'btn q-answer-toggle', t('qAnswerToggle'));
        toggle.type = 'button';
        toggle.setAttribute('aria-expanded', 'false');
        toggle.addEventListener('click', () => {
          if (!form) {
            form = answerForm(q, li);
            li.insertBefore(form, li.querySelector('.ent-panel'));
          }
          form.hidden = !form.hidden;
          toggle.setAttribute('aria-expanded', form.hidden ? 'false' : 'true');
          if (!form.hidden) form.querySelector('textarea').focus();
        });
        actions.appendChild(toggle);
      }
      const close = el('button', 'btn q-close', t('qClose'));
      close.type = 'button';
      close.addEventListener('click', () => editorWrite(li, '/api/questions/' + encodeURIComponent(str(q.id)) + '/close', {},
        () => ({ text: t('qClosed')(str(q.question)) })));
      actions.appendChild(close);
      li.appendChild(actions);
    }
    const panel = el('div', 'ent-panel');
    panel.hidden = true;
    li.appendChild(panel);
    return li;
  }

  function answerBlock(q) {
    const box = el('div', 'q-answer');
    box.appendChild(el('h3', 'detail-title', t('qAnswer')));
    box.appendChild(el('div', 'q-answer-text', str(q.answer)));
    box.appendChild(el('div', 'question-meta', t('qAnsweredBy')(str(q.answered_by), fmtTime(q.answered_at))));
    const links = list(q.links).map(str).filter(Boolean);
    if (links.length) {
      const ul = el('ul', 'q-links');
      links.forEach((l) => {
        const item = el('li');
        if (/^https?:\/\/[^\s]+$/i.test(l)) {
          const a = el('a', 'q-link', l);
          a.href = l;
          a.rel = 'noopener noreferrer';
          a.target = '_blank';
          item.appendChild(a);
        } else {
          item.appendChild(el('span', 'q-link-text', l));
        }
        ul.appendChild(item);
      });
      box.appendChild(labelled('q-links-box', t('qLinks'), ul));
    }
    if (q.answer_doc) {
      const a = el('a', 'q-answer-doc', t('qOpenAnswer'));
      a.href = docHash(str(q.answer_doc));
      box.appendChild(a);
    }
    return box;
  }

  function answerForm(q, li) {
    const form = el('form', 'q-answer-form');
    form.setAttribute('autocomplete', 'off');
    form.hidden = true;
    const add = (label, node) => {
      const id = 'q-field-' + ++formSeq;
      node.id = id;
      const l = el('label', 'q-label', label);
      l.htmlFor = id;
      form.appendChild(l);
      form.appendChild(node);
      return node;
    };
    const answer = el('textarea', 'q-input q-answer-input');
    answer.rows = 4;
    answer.required = true;
    add(t('qAnswerLabel'), answer);
    const by = el('input', 'q-input q-by-input');
    by.type = 'text';
    by.maxLength = 200;
    by.value = readAsker();
    add(t('qByLabel'), by);
    const links = el('textarea', 'q-input q-links-input');
    links.rows = 2;
    links.spellcheck = false;
    add(t('qLinksLabel'), links);
    const b = el('button', 'btn btn-primary', t('qAnswerButton'));
    b.type = 'submit';
    form.appendChild(b);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const text = answer.value.trim();
      if (!text) return;
      const body = {
        answer: text,
        answered_by: by.value.trim(),
        links: links.value.split('\n').map((x) => x.trim()).filter(Boolean),
      };
      editorWrite(li, '/api/questions/' + encodeURIComponent(str(q.id)) + '/answer', body, (data) => ({
        text: t('qAnswered')(str(q.question)) + ' ' + (data.indexed ? t('qIndexed') : str(data.note) || t('qNotIndexed')),
      }));
    });
    return form;
  }

  async function editorPost(url, body, token) {
    let res;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: 'Bearer ' + token },
        body: JSON.stringify(body),
      });
    } catch (err) {
      return { ok: false, status: 0, error: '', data: null };
    }
    let data = null;
    try {
      data = await res.json();
    } catch (err) {
      data = null;
    }
    const error = data && typeof data.error === 'string' ? data.error : '';
    return { ok: res.ok, status: res.status, error, data: obj(data) };
  }

  function qPanel(li) {
    const panel = li.querySelector('.ent-panel');
    panel.textContent = '';
    panel.hidden = false;
    return panel;
  }

  function qPanelMessage(li, text, error) {
    const p = el('p', error ? 'ent-error' : 'ent-hint', text);
    p.setAttribute('role', error ? 'alert' : 'status');
    qPanel(li).appendChild(p);
  }

  // The token form in a question's panel, with why it is asked for; submitting it runs the write again.
  function qTokenForm(li, why, retry) {
    const panel = qPanel(li);
    panel.classList.add('ent-panel-token');
    const form = el('form', 'ent-form');
    form.setAttribute('autocomplete', 'off');
    const input = tokenFields(form, why);
    const ok = el('button', 'btn btn-primary', t('ok'));
    ok.type = 'submit';
    const cancel = el('button', 'btn', t('cancel'));
    cancel.type = 'button';
    cancel.addEventListener('click', () => {
      panel.textContent = '';
      panel.hidden = true;
    });
    const buttons = el('span', 'ent-form-buttons');
    buttons.appendChild(ok);
    buttons.appendChild(cancel);
    form.appendChild(buttons);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const v = input.value.trim();
      if (!v) return;
      writeToken(v);
      retry();
    });
    panel.appendChild(form);
    input.focus();
  }

  // An answer or a close: with the kept token, or ask for one first; done(data) says what the notice reads.
  async function editorWrite(li, url, body, done) {
    const retry = () => editorWrite(li, url, body, done);
    const token = readToken();
    if (!token) {
      qTokenForm(li, '', retry);
      return;
    }
    const buttons = Array.prototype.slice.call(li.querySelectorAll('button'));
    buttons.forEach((b) => (b.disabled = true));
    qPanelMessage(li, t('saving'), false);
    const r = await editorPost(url, body, token);
    buttons.forEach((b) => (b.disabled = false));
    if (!r.ok) {
      writeFailed(r, (why) => qTokenForm(li, why, retry), (msg) => qPanelMessage(li, msg, true));
      return;
    }
    if (state.view !== 'questions' || !state.questions) return;
    state.questions.notice = done(r.data);
    renderNotice();
    await loadQuestions();
    const n = $('q-notice');
    if (n && !n.hidden) n.focus({ preventScroll: true });
  }

  function renderNotice() {
    const box = $('q-notice');
    if (!box) return;
    box.textContent = '';
    const n = state.questions.notice;
    box.hidden = !n;
    if (!n) return;
    box.appendChild(el('span', 'notice-text', n.text));
    const x = el('button', 'btn notice-close', '×');
    x.type = 'button';
    x.setAttribute('aria-label', t('close'));
    x.title = t('close');
    x.addEventListener('click', () => {
      state.questions.notice = null;
      renderNotice();
    });
    box.appendChild(x);
  }

  // ---- health --------------------------------------------------------------------------------------

  async function loadHealth() {
    try {
      const h = await api('/api/health');
      if (h.token_needed) {
        state.health = null;
        renderHealth();
        showTokenGate(!!readToken());
        return;
      }
      state.health = { documents: h.documents, units: h.units };
    } catch (e) {
      state.health = { down: true };
    }
    renderHealth();
  }

  function renderHealth() {
    const node = $('health');
    if (!state.health) {
      node.textContent = '';
    } else if (state.health.down) {
      node.textContent = t('healthDown');
      node.classList.add('down');
    } else {
      node.textContent = t('health')(fmtCount(state.health.documents), fmtCount(state.health.units));
      node.classList.remove('down');
    }
  }

  // ---- language ------------------------------------------------------------------------------------

  function readLang() {
    try {
      const v = window.localStorage.getItem(LANG_KEY);
      if (v === 'en' || v === 'zh') return v;
    } catch (e) {
      // storage may be disabled; fall back to Chinese
    }
    return 'zh';
  }

  function applyLang(lang) {
    state.lang = lang;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-i18n]').forEach((n) => {
      n.textContent = t(n.dataset.i18n);
    });
    document.querySelectorAll('[data-i18n-placeholder]').forEach((n) => {
      n.placeholder = t(n.dataset.i18nPlaceholder);
    });
    document.querySelectorAll('[data-i18n-label]').forEach((n) => {
      n.setAttribute('aria-label', t(n.dataset.i18nLabel));
    });
    const btn = $('lang');
    btn.classList.toggle('is-en', lang === 'en');
    btn.setAttribute('aria-label', lang === 'zh' ? 'Switch to English' : '切换到中文');
  }

  function toggleLang() {
    const lang = state.lang === 'zh' ? 'en' : 'zh';
    try {
      window.localStorage.setItem(LANG_KEY, lang);
    } catch (e) {
      // not persisted; still switch for this page
    }
    applyLang(lang);
    renderHealth();
    if (state.view === 'search' && state.search) {
      const sel = state.selected;
      renderSearch();
      if (sel >= 0) select(sel);
    } else if (state.view === 'doc' && state.doc) {
      renderDoc(false);
    } else if (state.view === 'gaps') {
      rerenderGaps();
    } else if (state.view === 'questions' && state.questions) {
      renderQuestions(true);
    }
  }

  // ---- keyboard ------------------------------------------------------------------------------------

  function isTyping(node) {
    if (!node || node === document.body) return false;
    const tag = node.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || node.isContentEditable;
  }

  function onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    const target = e.target;
    const typing = isTyping(target);
    const q = $('q');

    if (e.key === '/' && !typing) {
      e.preventDefault();
      q.focus();
      q.select();
      return;
    }
    if (e.key === 'Escape' && state.view === 'doc' && !typing) {
      e.preventDefault();
      go($('back').getAttribute('href') || '#/');
      return;
    }
    if (state.view !== 'search') return;
    const hits = hitNodes();
    if (!hits.length) return;

    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (typing && target !== q) return;
      const down = e.key === 'ArrowDown';
      if (target === q && !down) return;
      e.preventDefault();
      let i = target === q ? 0 : state.selected + (down ? 1 : -1);
      if (i >= hits.length) i = hits.length - 1;
      if (i < 0) {
        select(-1);
        q.focus();
        return;
      }
      select(i);
      return;
    }
    // → and ← unfold and fold the selected result's other matches.
    if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && !typing && state.selected >= 0) {
      const hit = hits[state.selected];
      const wrap = hit.querySelector('.more');
      if (!wrap || !state.search) return;
      e.preventDefault();
      setExpanded(wrap, hit.dataset.hit || '', e.key === 'ArrowRight');
      return;
    }
    // Enter on a focused title link is handled by the browser; this covers a selection whose focus moved away.
    if (e.key === 'Enter' && !typing && state.selected >= 0 && !target.closest('a, button')) {
      e.preventDefault();
      const link = hits[state.selected].querySelector('.hit-title');
      if (link) location.hash = link.getAttribute('href');
    }
  }

  // ---- start ---------------------------------------------------------------------------------------

  // Facets sit beside the results on a wide screen and fold away above them on a narrow one.
  function fitFacets() {
    $('facets-box').open = !NARROW.matches;
  }

  function start() {
    applyLang(readLang());
    fitFacets();
    if (NARROW.addEventListener) NARROW.addEventListener('change', fitFacets);
    $('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const q = $('q').value.trim();
      // A new query keeps the clicked filters and the sort order; it starts on the first page.
      const cur = parseHash();
      const s = cur.name === 'search' ? cur.s : { filters: {}, sort: 'relevance' };
      go(q ? searchHash({ q, filters: s.filters, sort: s.sort, offset: 0 }) : '#/');
    });
    $('lang').addEventListener('click', toggleLang);
    $('prev').addEventListener('click', () => pageBy(-1));
    $('next').addEventListener('click', () => pageBy(1));
    $('sort').querySelectorAll('button[data-sort]').forEach((b) => {
      b.addEventListener('click', () => setSort(b.dataset.sort));
    });
    $('results').addEventListener('focusin', (e) => {
      const hit = e.target.closest('.hit');
      if (hit) {
        const i = hitNodes().indexOf(hit);
        if (i !== state.selected) select(i, true);
      }
    });
    document.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', route);
    initTokenGate();
    route();
    loadHealth();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
