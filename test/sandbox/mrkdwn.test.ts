import { describe, expect, it } from 'vitest';
import { mrkdwn, textHtml } from '../../sandbox/blockkit';

const ctx = { userName: (id: string) => ({ UALICE: 'alice' })[id], channelName: (id: string) => ({ COPS: 'ops' })[id] };

describe('the page’s mrkdwn renderer', () => {
  it('formats bold, italic, strike, code and quotes', () => {
    expect(mrkdwn('*1. System health*', ctx)).toBe('<b>1. System health</b>');
    expect(mrkdwn('_Target: forwarding &gt; 95%_', ctx)).toBe('<i>Target: forwarding &gt; 95%</i>');
    expect(mrkdwn('~old~ and `code *not bold*`', ctx)).toBe('<s>old</s> and <code>code *not bold*</code>');
    expect(mrkdwn('line\n> quoted\n> twice\nafter', ctx)).toBe('line<br><blockquote>quoted<br>twice</blockquote>after');
    expect(mrkdwn('snake_case_name stays', ctx)).toBe('snake_case_name stays');
  });

  it('renders mentions, channels, links, dates, broadcasts and emoji', () => {
    expect(mrkdwn('Done by <@UALICE>', ctx)).toBe('Done by <span class="mention" data-user="UALICE">@alice</span>');
    expect(mrkdwn('<#COPS>', ctx)).toContain('#ops');
    expect(mrkdwn('<#C999|incidents>', ctx)).toContain('#incidents');
    expect(mrkdwn('<https://x.test/a?b=1&amp;c=2|the docs>', ctx)).toBe(
      '<a href="https://x.test/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the docs</a>',
    );
    expect(mrkdwn('<!here>', ctx)).toContain('@here');
    expect(mrkdwn('at <!date^1772460000^{date_num}|fallback>', ctx)).toMatch(/at <time>\d{4}-\d\d-\d\d<\/time>/);
    expect(mrkdwn('<!date^nope^{time}|09:00>', ctx)).toBe('<time>09:00</time>');
    expect(mrkdwn(':white_check_mark: Done :unknown_thing:', ctx)).toBe('✅ Done :unknown_thing:');
    expect(mrkdwn('*Problem by <@UALICE>*', ctx)).toBe('<b>Problem by <span class="mention" data-user="UALICE">@alice</span></b>');
  });

  it('never lets text become markup', () => {
    expect(mrkdwn('&lt;script&gt;alert(1)&lt;/script&gt; &amp;', ctx)).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp;');
    expect(mrkdwn('<javascript:alert(1)|click>', ctx)).not.toContain('<a');
    expect(mrkdwn('<https://x.test/"onmouseover="x|y>', ctx)).toContain('href="https://x.test/&quot;onmouseover=&quot;x"');
    expect(textHtml({ type: 'plain_text', text: '<b>not bold</b> :tada:' })).toBe('&lt;b&gt;not bold&lt;/b&gt; 🎉');
  });
});
